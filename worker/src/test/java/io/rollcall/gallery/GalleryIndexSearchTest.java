package io.rollcall.gallery;

import io.rollcall.gallery.TestVectors.Row;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GalleryIndexSearchTest {

    private static final ForkJoinPool HELPERS = new ForkJoinPool(3);

    private static final PersonRef ALICE = PersonRef.student("S001");
    private static final PersonRef BOB = PersonRef.student("S002");
    private static final PersonRef CAROL = PersonRef.student("S003");
    private static final PersonRef TED = PersonRef.teacher("T001");

    @AfterAll
    static void stopHelpers() {
        HELPERS.shutdownNow();
    }

    static Stream<Arguments> galleries() {
        List<Arguments> cases = new ArrayList<>();
        // Sizes around the 16-lane vector width and the 8-row test blocks, and past several parallel chunks.
        for (int dimension : new int[] {128, 512, 100}) {
            for (int size : new int[] {1, 15, 16, 17, 100, 1_001, 3_333}) {
                cases.add(Arguments.of(dimension, size, false));
                cases.add(Arguments.of(dimension, size, true));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "dim {0}, {1} rows, small blocks + parallel: {2}")
    @MethodSource("galleries")
    void findsExactlyWhatDoublePrecisionBruteForceFinds(int dimension, int size, boolean smallBlocksParallel) {
        Random random = new Random(31L * dimension + size);
        List<Row> rows = TestVectors.randomRows(random, size, Math.max(1, size / 3), dimension);
        GalleryIndex index = smallBlocksParallel
                ? TestVectors.smallBlocksParallel(dimension, HELPERS) : new GalleryIndex(dimension);
        for (Row row : rows) {
            index.add(row.sampleId(), row.person(), row.embedding());
        }
        List<SearchOptions> optionsList = List.of(
                SearchOptions.top(1),
                SearchOptions.top(10),
                new SearchOptions(50, SearchOptions.NO_THRESHOLD, PersonType.TEACHER),
                new SearchOptions(5, 0.05f, PersonType.STUDENT),
                new SearchOptions(Integer.MAX_VALUE, 0.0f, null));

        for (int q = 0; q < 6; q++) {
            // Half random queries, half second photos of an enrolled face, which must come back on top.
            float[] query = q % 2 == 0
                    ? TestVectors.gaussian(random, dimension)
                    : TestVectors.near(random, rows.get(random.nextInt(size)).embedding(), 0.5);
            for (SearchOptions options : optionsList) {
                List<GalleryMatch> expected = TestVectors.bruteForce(rows, query, options);
                List<GalleryMatch> actual = index.search(query, options);

                assertThat(actual).extracting(GalleryMatch::person, GalleryMatch::sampleId)
                        .as("query %d, %s", q, options)
                        .containsExactlyElementsOf(expected.stream()
                                .map(hit -> org.assertj.core.groups.Tuple.tuple(hit.person(), hit.sampleId()))
                                .toList());
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(actual.get(i).similarity()).isCloseTo(expected.get(i).similarity(), within(1e-5f));
                }
            }
        }
    }

    @Test
    void returnsEachPersonOnceWithTheirBestSample() {
        GalleryIndex index = new GalleryIndex(4);
        index.add(1, ALICE, at(3, 4));
        index.add(2, ALICE, at(12, 5));
        index.add(3, BOB, at(4, 3));
        index.add(4, ALICE, at(5, 12));

        assertThat(index.search(E0, SearchOptions.top(10))).containsExactly(
                new GalleryMatch(ALICE, 2, 12f / 13),
                new GalleryMatch(BOB, 3, 0.8f));
    }

    @Test
    void keepsOnlyThePersonTypeAskedFor() {
        GalleryIndex index = threePeopleAndATeacher();

        assertThat(index.search(E0, new SearchOptions(10, SearchOptions.NO_THRESHOLD, PersonType.TEACHER)))
                .containsExactly(new GalleryMatch(TED, 40, 1f));
        assertThat(index.search(E0, new SearchOptions(10, SearchOptions.NO_THRESHOLD, PersonType.STUDENT)))
                .extracting(GalleryMatch::person).containsExactly(BOB, ALICE, CAROL);
        assertThat(index.search(E0, SearchOptions.top(10)))
                .extracting(GalleryMatch::person).containsExactly(TED, BOB, ALICE, CAROL);
    }

    @Test
    void dropsHitsBelowTheThresholdAndKeepsOnesExactlyAtIt() {
        GalleryIndex index = threePeopleAndATeacher();

        assertThat(index.search(E0, new SearchOptions(10, 0.6f, PersonType.STUDENT)))
                .containsExactly(new GalleryMatch(BOB, 20, 0.8f), new GalleryMatch(ALICE, 10, 0.6f));
        assertThat(index.search(E0, new SearchOptions(10, 0.99f, PersonType.STUDENT))).isEmpty();
    }

    @Test
    void returnsAtMostTopKPersons() {
        GalleryIndex index = threePeopleAndATeacher();

        assertThat(index.search(E0, SearchOptions.top(2)))
                .containsExactly(new GalleryMatch(TED, 40, 1f), new GalleryMatch(BOB, 20, 0.8f));
    }

    @Test
    void breaksEqualSimilaritiesByTheLowerSampleIdWhateverTheInsertionOrder() {
        GalleryIndex index = new GalleryIndex(4);
        index.add(30, CAROL, at(4, 3));
        index.add(20, BOB, at(4, 3));
        index.add(21, BOB, at(4, 3));
        index.add(10, ALICE, at(4, 3));
        index.add(5, ALICE, at(4, 3));

        assertThat(index.search(E0, SearchOptions.top(10))).containsExactly(
                new GalleryMatch(ALICE, 5, 0.8f),
                new GalleryMatch(BOB, 20, 0.8f),
                new GalleryMatch(CAROL, 30, 0.8f));
        assertThat(index.search(E0, SearchOptions.top(1))).containsExactly(new GalleryMatch(ALICE, 5, 0.8f));
    }

    @Test
    void comparesDirectionsOnlySoScaledEmbeddingsMatchEqually() {
        GalleryIndex index = new GalleryIndex(4);
        index.add(1, ALICE, new float[] {300f, 400f, 0, 0});

        assertThat(index.search(new float[] {0.003f, 0, 0, 0}, SearchOptions.top(1)))
                .containsExactly(new GalleryMatch(ALICE, 1, 0.6f));
    }

    @Test
    void findsNothingInAnEmptyGallery() {
        assertThat(new GalleryIndex(4).search(E0, SearchOptions.top(5))).isEmpty();
    }

    @Test
    void reportsOppositeVectorsAtMinusOneAndKeepsThemWithoutThreshold() {
        GalleryIndex index = new GalleryIndex(4);
        index.add(1, ALICE, new float[] {-2f, 0, 0, 0});

        assertThat(index.search(E0, SearchOptions.top(1))).containsExactly(new GalleryMatch(ALICE, 1, -1f));
    }

    private static final float[] E0 = {1f, 0, 0, 0};

    /**
     * A vector whose cosine with {@link #E0} is {@code adjacent / hypotenuse}: Pythagorean triples keep the
     * expected similarities exact in float (3-4-5 gives 0.6 and 0.8, 5-12-13 gives 5/13 and 12/13).
     */
    private static float[] at(int adjacent, int opposite) {
        return new float[] {adjacent, opposite, 0, 0};
    }

    /** Bob 0.8 > Alice 0.6 > Carol 5/13 among students, and a teacher at 1. */
    private static GalleryIndex threePeopleAndATeacher() {
        GalleryIndex index = new GalleryIndex(4);
        index.add(10, ALICE, new float[] {3, 4, 0, 0});
        index.add(20, BOB, new float[] {4, 0, 3, 0});
        index.add(30, CAROL, new float[] {5, 0, 0, 12});
        index.add(40, TED, new float[] {7, 0, 0, 0});
        return index;
    }
}

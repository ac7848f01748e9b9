package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;

class GalleryIndexUpdateTest {

    private static final int DIM = 16;
    private static final PersonRef ALICE = PersonRef.student("S001");
    private static final PersonRef BOB = PersonRef.student("S002");
    private static final PersonRef TED = PersonRef.teacher("T001");

    private final Random random = new Random(7);

    @Test
    void removesASampleSoSearchesNoLongerReturnIt() {
        GalleryIndex index = new GalleryIndex(DIM);
        float[] alice1 = vector();
        index.add(1, ALICE, alice1);
        index.add(2, ALICE, vector());
        index.add(3, BOB, vector());

        assertThat(index.removeSample(1)).isTrue();

        assertThat(index.removeSample(1)).isFalse();
        assertThat(index.contains(1)).isFalse();
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.personCount()).isEqualTo(2);
        assertThat(index.search(alice1, SearchOptions.top(10))).extracting(GalleryMatch::sampleId)
                .containsExactlyInAnyOrder(2L, 3L);
    }

    @Test
    void forgetsAPersonWhenTheirLastSampleIsRemoved() {
        GalleryIndex index = new GalleryIndex(DIM);
        index.add(1, ALICE, vector());
        index.add(2, BOB, vector());

        index.removeSample(1);

        assertThat(index.personCount()).isEqualTo(1);
        assertThat(index.search(vector(), SearchOptions.top(10))).extracting(GalleryMatch::person).containsExactly(BOB);
    }

    @Test
    void keepsTheRowMovedIntoAHoleFindable() {
        GalleryIndex index = new GalleryIndex(DIM);
        Map<Long, float[]> stored = new LinkedHashMap<>();
        for (long id = 1; id <= 5; id++) {
            stored.put(id, vector());
            index.add(id, id % 2 == 0 ? ALICE : BOB, stored.get(id));
        }

        // Row 1 (sample 2) is filled with the last row, sample 5.
        index.removeSample(2);
        stored.remove(2L);

        assertFindsItself(index, stored.get(5L), BOB, 5);
        assertEachSampleFindsItself(index, stored);
        assertThat(index.removeSample(5)).isTrue();
        stored.remove(5L);
        assertEachSampleFindsItself(index, stored);
    }

    @Test
    void removesEveryRowOfAPersonAndNothingElse() {
        GalleryIndex index = new GalleryIndex(DIM, 4, GalleryIndex.CHUNK_FLOATS, null);
        Map<Long, float[]> others = new LinkedHashMap<>();
        for (long id = 1; id <= 30; id++) {
            float[] embedding = vector();
            PersonRef person = id % 3 == 0 ? ALICE : (id % 3 == 1 ? BOB : TED);
            index.add(id, person, embedding);
            if (person != ALICE) {
                others.put(id, embedding);
            }
        }

        assertThat(index.removePerson(ALICE)).isEqualTo(10);

        assertThat(index.removePerson(ALICE)).isZero();
        assertThat(index.size()).isEqualTo(20);
        assertThat(index.personCount()).isEqualTo(2);
        for (long id = 3; id <= 30; id += 3) {
            assertThat(index.contains(id)).isFalse();
        }
        assertEachSampleFindsItself(index, others);
        assertThat(index.search(vector(), SearchOptions.top(10))).extracting(GalleryMatch::person)
                .containsExactlyInAnyOrder(BOB, TED);
    }

    @Test
    void replacesTheRowStoredUnderAnExistingSampleId() {
        GalleryIndex index = new GalleryIndex(DIM);
        float[] first = vector();
        float[] second = vector();
        index.add(1, ALICE, first);
        index.add(2, BOB, vector());

        index.add(1, TED, second);

        assertThat(index.size()).isEqualTo(2);
        assertThat(index.personCount()).isEqualTo(2);
        assertFindsItself(index, second, TED, 1);
        assertThat(index.search(first, SearchOptions.top(10))).extracting(GalleryMatch::person)
                .doesNotContain(ALICE);
    }

    @Test
    void replacingASampleOfTheSamePersonKeepsThePerson() {
        GalleryIndex index = new GalleryIndex(DIM);
        index.add(1, ALICE, vector());
        float[] replacement = vector();

        index.add(1, ALICE, replacement);

        assertThat(index.personCount()).isEqualTo(1);
        assertFindsItself(index, replacement, ALICE, 1);
    }

    @Test
    void growsAcrossBlocksAndReleasesThemAsItShrinks() {
        GalleryIndex index = new GalleryIndex(DIM, 4, GalleryIndex.CHUNK_FLOATS, null);
        Map<Long, float[]> stored = new LinkedHashMap<>();
        for (long id = 100; id < 150; id++) {
            stored.put(id, vector());
            index.add(id, PersonRef.student("S" + id), stored.get(id));
        }

        assertThat(index.stats().capacity()).isEqualTo(52);
        assertEachSampleFindsItself(index, stored);

        for (long id = 100; id < 147; id++) {
            index.removeSample(id);
            stored.remove(id);
        }

        // 3 rows fill one 4-row block; one spare block is kept against churn at the boundary.
        assertThat(index.stats()).isEqualTo(new GalleryStats(3, 3, 8, index.stats().bytesUsed(), index.stats().exactRowBytes()));
        assertEachSampleFindsItself(index, stored);
    }

    @Test
    void startsWithASmallFirstBlockAndDoublesItUpToTheBlockSize() {
        GalleryIndex index = new GalleryIndex(DIM, 256, GalleryIndex.CHUNK_FLOATS, null);
        Map<Long, float[]> stored = new LinkedHashMap<>();
        List<Integer> capacities = new ArrayList<>();
        for (long id = 1; id <= 300; id++) {
            stored.put(id, vector());
            index.add(id, PersonRef.student("S" + id % 50), stored.get(id));
            int capacity = index.stats().capacity();
            if (capacities.isEmpty() || capacities.getLast() != capacity) {
                capacities.add(capacity);
            }
        }

        assertThat(capacities).containsExactly(64, 128, 256, 512);
        assertEachSampleFindsItself(index, stored);
    }

    @Test
    void clearEmptiesTheGalleryAndLeavesItUsable() {
        GalleryIndex index = new GalleryIndex(DIM);
        index.add(1, ALICE, vector());
        index.add(2, BOB, vector());

        index.clear();

        assertThat(index.size()).isZero();
        assertThat(index.personCount()).isZero();
        assertThat(index.contains(1)).isFalse();
        assertThat(index.stats().capacity()).isZero();
        assertThat(index.search(vector(), SearchOptions.top(5))).isEmpty();

        float[] again = vector();
        index.add(1, TED, again);
        assertFindsItself(index, again, TED, 1);
    }

    @Test
    void rebuildsFromABulkLoadWhereALaterDuplicateIdWins() {
        GalleryIndex index = new GalleryIndex(DIM, 8, GalleryIndex.CHUNK_FLOATS, null);
        List<GallerySample> samples = new ArrayList<>();
        Map<Long, float[]> stored = new LinkedHashMap<>();
        for (long id = 1; id <= 40; id++) {
            float[] embedding = vector();
            samples.add(new GallerySample(id, PersonRef.student("S" + (id % 10)), embedding));
            stored.put(id, embedding);
        }
        float[] replacement = vector();
        samples.add(new GallerySample(7, TED, replacement));
        stored.put(7L, replacement);

        index.addAll(samples);

        assertThat(index.size()).isEqualTo(40);
        assertThat(index.personCount()).isEqualTo(11);
        assertFindsItself(index, replacement, TED, 7);
        assertEachSampleFindsItself(index, stored);
    }

    @Test
    void rejectsAWholeBulkLoadWhenOneEmbeddingIsBad() {
        GalleryIndex index = new GalleryIndex(DIM);
        index.add(1, ALICE, vector());
        float[] bad = vector();
        bad[3] = Float.NaN;

        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.addAll(List.of(
                        new GallerySample(2, BOB, vector()),
                        new GallerySample(3, BOB, bad))))
                .withMessage("embedding of sample 3 has a non-finite value at index 3: NaN");

        assertThat(index.size()).isEqualTo(1);
        assertThat(index.contains(2)).isFalse();
    }

    @Test
    void reportsRowsPersonsCapacityAndBytes() {
        GalleryIndex index = new GalleryIndex(DIM, 8, GalleryIndex.CHUNK_FLOATS, null);
        for (long id = 1; id <= 10; id++) {
            index.add(id, id <= 5 ? ALICE : BOB, vector());
        }

        GalleryStats stats = index.stats();

        assertThat(stats.rows()).isEqualTo(10);
        assertThat(stats.persons()).isEqualTo(2);
        assertThat(stats.capacity()).isEqualTo(16);
        // The two blocks' codes, scales, ordinals and ids, then the map and persons; never the floats, which are in
        // the row file: exactly the ten rows written.
        assertThat(stats.bytesUsed()).isGreaterThan(16L * (DIM + 4 + 4 + 8)).isLessThan(16L * DIM * 4);
        assertThat(stats.exactRowBytes()).isEqualTo(10L * DIM * 4);
    }

    /** The only hit is the sample itself, at similarity 1 up to float rounding. */
    private static void assertFindsItself(GalleryIndex index, float[] embedding, PersonRef person, long sampleId) {
        assertThat(index.search(embedding, SearchOptions.top(1))).singleElement().satisfies(hit -> {
            assertThat(hit.person()).isEqualTo(person);
            assertThat(hit.sampleId()).isEqualTo(sampleId);
            assertThat(hit.similarity()).isCloseTo(1f, offset(1e-6f));
        });
    }

    private static void assertEachSampleFindsItself(GalleryIndex index, Map<Long, float[]> stored) {
        assertThat(index.size()).isEqualTo(stored.size());
        for (Map.Entry<Long, float[]> entry : stored.entrySet()) {
            assertThat(index.contains(entry.getKey())).isTrue();
            List<GalleryMatch> hits = index.search(entry.getValue(), SearchOptions.top(1));
            assertThat(hits).singleElement().satisfies(hit -> {
                assertThat(hit.sampleId()).isEqualTo(entry.getKey());
                assertThat(hit.similarity()).isCloseTo(1f, offset(1e-6f));
            });
        }
    }

    private float[] vector() {
        return TestVectors.gaussian(random, DIM);
    }
}

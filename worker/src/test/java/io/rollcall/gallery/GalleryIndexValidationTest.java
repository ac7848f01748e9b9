package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class GalleryIndexValidationTest {

    private static final PersonRef ALICE = PersonRef.student("S001");

    private final GalleryIndex index = new GalleryIndex(4);

    @Test
    void rejectsAnEmbeddingOfTheWrongLength() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.add(9, ALICE, new float[] {1, 2, 3}))
                .withMessage("embedding of sample 9 has 3 values, but the gallery's dimension is 4");
    }

    @Test
    void rejectsNaNAndInfiniteValues() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.add(9, ALICE, new float[] {1, Float.NaN, 0, 0}))
                .withMessage("embedding of sample 9 has a non-finite value at index 1: NaN");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.add(9, ALICE, new float[] {1, 0, 0, Float.NEGATIVE_INFINITY}))
                .withMessage("embedding of sample 9 has a non-finite value at index 3: -Infinity");
    }

    @Test
    void rejectsTheZeroVector() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.add(9, ALICE, new float[4]))
                .withMessage("embedding of sample 9 is the zero vector, which has no direction to compare");
    }

    @Test
    void acceptsVectorsOfExtremeButFiniteMagnitude() {
        index.add(1, ALICE, new float[] {Float.MAX_VALUE, Float.MAX_VALUE, 0, 0});
        index.add(2, PersonRef.student("S002"), new float[] {Float.MIN_VALUE, 0, 0, 0});

        assertThat(index.search(new float[] {1, 1, 0, 0}, SearchOptions.top(1)))
                .singleElement().extracting(GalleryMatch::sampleId).isEqualTo(1L);
        assertThat(index.search(new float[] {1, 0, 0, 0}, SearchOptions.top(1)))
                .containsExactly(new GalleryMatch(PersonRef.student("S002"), 2, 1f));
    }

    @Test
    void leavesTheGalleryUnchangedAfterARejectedEmbedding() {
        index.add(1, ALICE, new float[] {1, 0, 0, 0});

        assertThatIllegalArgumentException().isThrownBy(() -> index.add(1, ALICE, new float[] {0, Float.NaN, 0, 0}));

        assertThat(index.search(new float[] {1, 0, 0, 0}, SearchOptions.top(1)))
                .containsExactly(new GalleryMatch(ALICE, 1, 1f));
    }

    @Test
    void rejectsBadQueries() {
        index.add(1, ALICE, new float[] {1, 0, 0, 0});

        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.search(new float[5], SearchOptions.top(1)))
                .withMessage("query has 5 values, but the gallery's dimension is 4");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.search(new float[4], SearchOptions.top(1)))
                .withMessage("query is the zero vector, which has no direction to compare");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.search(new float[] {Float.POSITIVE_INFINITY, 0, 0, 0}, SearchOptions.top(1)))
                .withMessage("query has a non-finite value at index 0: Infinity");
    }

    @Test
    void rejectsMissingArguments() {
        assertThatNullPointerException().isThrownBy(() -> index.add(1, null, new float[] {1, 0, 0, 0}));
        assertThatNullPointerException().isThrownBy(() -> index.add(1, ALICE, null));
        assertThatNullPointerException().isThrownBy(() -> index.search(new float[] {1, 0, 0, 0}, null));
        assertThatNullPointerException().isThrownBy(() -> index.removePerson(null));
    }

    @Test
    void rejectsImpossibleSearchOptions() {
        assertThatIllegalArgumentException().isThrownBy(() -> SearchOptions.top(0))
                .withMessage("topK must be at least 1, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new SearchOptions(1, 1.5f, null))
                .withMessage("minSimilarity must be within [-1, 1], got 1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> new SearchOptions(1, Float.NaN, null))
                .withMessage("minSimilarity must be within [-1, 1], got NaN");
    }

    @Test
    void rejectsANonPositiveDimension() {
        assertThatIllegalArgumentException().isThrownBy(() -> new GalleryIndex(0))
                .withMessage("dimension must be positive, got 0");
    }
}

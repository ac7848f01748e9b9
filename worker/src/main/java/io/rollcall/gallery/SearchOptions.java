package io.rollcall.gallery;

import io.rollcall.person.PersonType;

/**
 * What a gallery search returns.
 *
 * @param topK          at most this many persons (each with its best sample), at least 1
 * @param minSimilarity only hits with cosine similarity at or above this value, in [-1, 1];
 *                      {@value #NO_THRESHOLD} accepts everything
 * @param filterOrNull  only persons of this type, or {@code null} for both types
 */
public record SearchOptions(int topK, float minSimilarity, PersonType filterOrNull) {

    /** Cosine similarity of unit vectors is never below -1, so this threshold keeps every row. */
    public static final float NO_THRESHOLD = -1f;

    public SearchOptions {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        if (!(minSimilarity >= -1f && minSimilarity <= 1f)) {
            throw new IllegalArgumentException("minSimilarity must be within [-1, 1], got " + minSimilarity);
        }
    }

    /** The best {@code topK} persons of either type, without threshold. */
    public static SearchOptions top(int topK) {
        return new SearchOptions(topK, NO_THRESHOLD, null);
    }
}

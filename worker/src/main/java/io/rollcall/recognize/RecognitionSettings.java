package io.rollcall.recognize;

/**
 * The recognition decision's settings.
 *
 * @param similarityThreshold {@code SIMILARITY_THRESHOLD}, else the active pack's {@code recommended_threshold}:
 *                            the cosine similarity at which a face is recognised when the request names none
 */
public record RecognitionSettings(double similarityThreshold) {
    public RecognitionSettings {
        if (!(similarityThreshold > 0 && similarityThreshold <= 1)) {
            throw new IllegalArgumentException("SIMILARITY_THRESHOLD must be in (0, 1], got " + similarityThreshold);
        }
    }

    /** The request's own threshold when it names one, else the configured one. */
    public double threshold(Double requested) {
        return requested != null ? requested : similarityThreshold;
    }
}

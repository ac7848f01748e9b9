package io.rollcall.recognize;

/**
 * Turns a raw cosine similarity into the {@code confidence} clients show. The raw {@code similarity_score} is the
 * cosine between two unit embeddings (−1..1); how high is "high" depends on the model pack, so it is hard to read.
 * Confidence rescales it against the threshold in force: 0.5 exactly at the threshold, rising linearly to 1.0 at
 * a perfect match, and falling linearly to 0 at similarity −1. It is a readable score, not a calibrated
 * probability.
 */
public final class Confidence {
    private Confidence() {
    }

    public static double of(double similarity, double threshold) {
        double s = Math.max(-1, Math.min(1, similarity));
        double c = s >= threshold
                ? 0.5 + 0.5 * (s - threshold) / (1 - threshold)
                : 0.5 * (s + 1) / (threshold + 1);
        return Math.round(c * 10_000) / 10_000.0;
    }
}

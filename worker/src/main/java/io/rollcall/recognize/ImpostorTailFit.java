package io.rollcall.recognize;

import io.rollcall.engine.model.ModelPack.ImpostorTail;
import java.util.Arrays;

/**
 * Fits a pack's {@link ImpostorTail} to impostor-pair scores: the similarities of photos of different people, as
 * {@code ./rollcall calibrate} and {@code eval} collect them on a labelled set. {@code scoreAtFar} is the score that
 * a share {@code far} of the pairs reach; {@code scale} the mean by which the pairs above it exceed it, which is the
 * maximum-likelihood scale of an exponential tail (the tail of face-recognition impostor scores is close to
 * exponential in the range that matters, and lighter beyond it, so the fit errs towards refusing).
 */
public final class ImpostorTailFit {
    /** Fewer pairs above the fitted point than this and the scale is noise: ten pairs at least. */
    static final int MIN_TAIL_PAIRS = 10;

    private ImpostorTailFit() {
    }

    /**
     * @param impostorScores cosine similarities of different people's photos
     * @param far            the share of pairs above {@code scoreAtFar}, e.g. 0.001
     * @throws IllegalArgumentException with fewer than {@code MIN_TAIL_PAIRS / far} pairs (10,000 at 0.001)
     */
    public static ImpostorTail fit(double[] impostorScores, double far) {
        int tail = (int) Math.floor(far * impostorScores.length);
        if (tail < MIN_TAIL_PAIRS) {
            throw new IllegalArgumentException("fitting the impostor tail at " + far + " needs at least "
                    + (long) Math.ceil(MIN_TAIL_PAIRS / far) + " impostor pairs, got " + impostorScores.length
                    + ": use a labelled set with more people");
        }
        double[] sorted = impostorScores.clone();
        Arrays.sort(sorted);
        // The (1 − far) quantile: `tail` pairs lie strictly above it.
        double scoreAtFar = sorted[sorted.length - 1 - tail];
        double excess = 0;
        for (int i = sorted.length - tail; i < sorted.length; i++) {
            excess += sorted[i] - scoreAtFar;
        }
        double scale = Math.max(1e-6, excess / tail);
        return new ImpostorTail(round(scoreAtFar), far, round(scale));
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

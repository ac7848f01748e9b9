package io.rollcall.calibration;

import java.util.Arrays;

/**
 * Verification statistics from genuine (same person) and impostor (different person) similarity scores.
 * A pair is accepted when its score is at least the threshold.
 *
 * <p>The one implementation of these numbers: {@code ./rollcall eval} measures a pack with it on a labelled folder,
 * and the migration from the old system recommends a threshold with it on the school's own photos.
 */
public final class VerificationMetrics {
    private final double[] genuineAsc;
    private final double[] impostorDesc;

    public VerificationMetrics(double[] genuine, double[] impostor) {
        this.genuineAsc = genuine.clone();
        Arrays.sort(genuineAsc);
        double[] imp = impostor.clone();
        Arrays.sort(imp);
        this.impostorDesc = new double[imp.length];
        for (int i = 0; i < imp.length; i++) {
            impostorDesc[i] = imp[imp.length - 1 - i];
        }
    }

    /**
     * The lowest threshold whose false accept rate is at most {@code far}: it lies just above the
     * (⌊far·N⌋+1)-th highest impostor score, so at most ⌊far·N⌋ impostors pass. NaN without impostors.
     */
    public double thresholdAtFar(double far) {
        if (impostorDesc.length == 0) {
            return Double.NaN;
        }
        int allowed = (int) Math.floor(far * impostorDesc.length);
        if (allowed >= impostorDesc.length) {
            return Double.NEGATIVE_INFINITY;
        }
        return Math.nextUp(impostorDesc[allowed]);
    }

    /** Fraction of genuine pairs accepted at the threshold for {@code far}. NaN without genuine pairs. */
    public double tarAtFar(double far) {
        return acceptRate(genuineAsc, thresholdAtFar(far));
    }

    public double falseAcceptRate(double threshold) {
        int accepted = 0;
        for (double s : impostorDesc) {
            if (s >= threshold) {
                accepted++;
            }
        }
        return impostorDesc.length == 0 ? Double.NaN : (double) accepted / impostorDesc.length;
    }

    public double trueAcceptRate(double threshold) {
        return acceptRate(genuineAsc, threshold);
    }

    private static double acceptRate(double[] ascending, double threshold) {
        if (ascending.length == 0 || Double.isNaN(threshold)) {
            return Double.NaN;
        }
        int firstAccepted = Arrays.binarySearch(ascending, threshold);
        if (firstAccepted < 0) {
            firstAccepted = -firstAccepted - 1;
        } else {
            while (firstAccepted > 0 && ascending[firstAccepted - 1] >= threshold) {
                firstAccepted--;
            }
        }
        return (double) (ascending.length - firstAccepted) / ascending.length;
    }
}

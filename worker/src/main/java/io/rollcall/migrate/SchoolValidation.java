package io.rollcall.migrate;

import io.rollcall.calibration.VerificationMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes {@link MigrationReport.Validation} from the migrated people's embeddings: the arithmetic of
 * {@code ./rollcall eval} ({@link VerificationMetrics}), with the school's photos as the labelled set.
 */
final class SchoolValidation {
    /** The false accept rate the recommended threshold is set for: 1 stranger in 1,000 accepted. */
    static final double FAR = 1e-3;

    private SchoolValidation() {
    }

    /**
     * @param people           per migrated person, their embeddings (unit length), the enrollment photo first
     * @param thresholdInForce the threshold the service recognises with
     */
    static MigrationReport.Validation of(List<List<float[]>> people, double thresholdInForce) {
        List<float[]> firsts = people.stream().map(List::getFirst).toList();
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        int probes = 0;
        int rank1Hits = 0;
        for (int i = 0; i < people.size(); i++) {
            List<float[]> photos = people.get(i);
            for (float[] probe : photos.subList(1, photos.size())) {
                probes++;
                int best = -1;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < firsts.size(); k++) {
                    double s = dot(probe, firsts.get(k));
                    if (s > bestScore) {
                        best = k;
                        bestScore = s;
                    }
                    (k == i ? genuine : impostor).add(s);
                }
                if (best == i) {
                    rank1Hits++;
                }
            }
        }
        VerificationMetrics metrics = new VerificationMetrics(toArray(genuine), toArray(impostor));
        double threshold = metrics.thresholdAtFar(FAR);
        return new MigrationReport.Validation(people.size(), probes,
                probes == 0 ? null : round((double) rank1Hits / probes), genuine.size(), impostor.size(),
                finite(round(metrics.tarAtFar(FAR))), finite(roundUp(threshold)), thresholdInForce);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : v;
    }

    /** Up, so that the rounded threshold still lets through no more impostor pairs than the exact one. */
    private static double roundUp(double v) {
        return Double.isFinite(v) ? Math.ceil(v * 10_000) / 10_000.0 : v;
    }
}

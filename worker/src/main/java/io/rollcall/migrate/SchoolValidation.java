package io.rollcall.migrate;

import io.rollcall.calibration.VerificationMetrics;
import io.rollcall.engine.model.ModelPack.ImpostorTail;
import io.rollcall.recognize.ImpostorTailFit;
import io.rollcall.recognize.OpenSetDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes {@link MigrationReport.Validation} from the migrated people's embeddings: the arithmetic of
 * {@code ./rollcall eval} ({@link VerificationMetrics}, {@link ImpostorTailFit}), with the school's photos as the
 * labelled set, and the open-set decision's threshold for the school's gallery.
 */
final class SchoolValidation {
    /** The pair false accept rate reported, and where the school's impostor tail is anchored: 1 in 1,000. */
    static final double FAR = 1e-3;
    /** Impostor pairs for a firm tail at {@link #FAR}: ten pairs above the anchor. */
    static final int PAIRS_FOR_TAIL = 10_000;
    /**
     * Below {@link #PAIRS_FOR_TAIL} the tail is anchored where ten pairs lie above it instead, as low as 1 in 10
     * (100 pairs): rougher, but the school's own, and the report says so. Fewer pairs give no tail.
     */
    static final int PAIRS_FOR_ROUGH_TAIL = 100;

    private SchoolValidation() {
    }

    /**
     * @param people       per migrated person, their embeddings (unit length), the enrollment photo first
     * @param decision     the open-set decision the service recognises with
     * @param strangerRate {@code OPEN_SET_FALSE_ACCEPT_RATE}, for the school's own recommended threshold
     * @param galleryFaces the gallery's faces after the run
     */
    static MigrationReport.Validation of(List<List<float[]>> people, OpenSetDecision decision, double strangerRate,
                                         int galleryFaces) {
        List<float[]> firsts = people.stream().map(List::getFirst).toList();
        double thresholdInForce = decision.threshold(galleryFaces);
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        int probes = 0;
        int rank1Hits = 0;
        int recognised = 0;
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
                    // Compared in float, as the gallery's search compares.
                    if ((float) bestScore >= (float) thresholdInForce) {
                        recognised++;
                    }
                }
            }
        }
        double[] impostorScores = toArray(impostor);
        VerificationMetrics metrics = new VerificationMetrics(toArray(genuine), impostorScores);
        ImpostorTail tail = impostorScores.length >= PAIRS_FOR_ROUGH_TAIL
                ? ImpostorTailFit.fit(impostorScores, Math.max(FAR, anchor(impostorScores.length))) : null;
        Double recommended = tail == null ? null
                : round(new OpenSetDecision.GallerySize(tail, strangerRate).threshold(galleryFaces));
        return new MigrationReport.Validation(people.size(), probes,
                probes == 0 ? null : round((double) rank1Hits / probes), genuine.size(), impostor.size(),
                finite(round(metrics.tarAtFar(FAR))), finite(roundUp(metrics.thresholdAtFar(FAR))), galleryFaces,
                decision.describe(), round(thresholdInForce), probes == 0 ? null : round((double) recognised / probes),
                tail, recommended);
    }

    /** The rate at which ten of {@code pairs} lie above the anchor, rounded up to 4 decimals so that they still do. */
    private static double anchor(int pairs) {
        return Math.ceil(10.0 / pairs * 10_000) / 10_000.0;
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

package io.rollcall.cli;

import io.rollcall.eval.EvalReport;
import java.util.Locale;
import java.util.Map;

/** The human-readable form of an {@link EvalReport}. */
final class EvalSummary {
    private EvalSummary() {
    }

    static String render(EvalReport r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Pack %s on %s: %d identities, %d identity photos, %d probes%n",
                r.pack(), r.dataset(), r.identities(), r.identityPhotos(), r.probes()));
        s.append(String.format(Locale.ROOT, "  detection rate            %.4f%n", r.detectionRate()));
        s.append(String.format(Locale.ROOT, "  rank-1                    %.4f%n", r.rank1()));
        s.append(String.format(Locale.ROOT, "  TAR @ FAR 1e-2            %.4f  (threshold %.4f; %d genuine, %d impostor pairs)%n",
                r.tarAtFar1e2(), r.thresholdAtFar1e2(), r.genuinePairs(), r.impostorPairs()));
        s.append(String.format(Locale.ROOT, "  TAR @ FAR 1e-3            %.4f%n", r.tarAtFar1e3()));
        s.append(String.format(Locale.ROOT, "  at threshold %.3f: TAR %.4f, open-set false accepts %.4f%n",
                r.threshold(), r.tarAtThreshold(), r.openSetFalseAcceptRate()));
        s.append(String.format(Locale.ROOT, "  no-face false detections  %d in %d photos%n", r.nofaceFalseDetections(), r.nofacePhotos()));
        r.byKind().forEach((kind, k) -> s.append(String.format(Locale.ROOT,
                "  %-10s %3d photos      detection %.4f, rank-1 %.4f over %d probes%n", kind, k.photos(), k.detectionRate(), k.rank1(), k.probes())));
        for (EvalReport.GroupResult g : r.groups()) {
            s.append(String.format(Locale.ROOT, "  %-16s faces %d (expected %s)%s%n", g.path(), g.detectedFaces(),
                    g.expectedFaces() == null ? "-" : g.expectedFaces(),
                    g.enrolledFound().isEmpty() && g.enrolledMissed().isEmpty() ? ""
                            : ", recognised " + g.enrolledFound() + (g.enrolledMissed().isEmpty() ? "" : ", missed " + g.enrolledMissed())));
        }
        if (!r.enrollmentFallbacks().isEmpty()) {
            s.append("  enrolled from a later photo (first had no face): ").append(r.enrollmentFallbacks()).append('\n');
        }
        s.append("  median ms:");
        for (Map.Entry<String, Double> e : r.stageMs().entrySet()) {
            s.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue()));
        }
        return s.toString();
    }
}

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
        s.append(String.format(Locale.ROOT, "  enrolled                  %d faces (up to %d photo%s per identity)%n",
                r.galleryFaces(), r.enrollPhotos(), r.enrollPhotos() == 1 ? "" : "s"));
        s.append(String.format(Locale.ROOT, "  detection rate            %.4f%n", r.detectionRate()));
        s.append(String.format(Locale.ROOT, "  rank-1                    %.4f%n", r.rank1()));
        s.append(String.format(Locale.ROOT, "  TAR @ FAR 1e-2            %.4f  (threshold %.4f; %d genuine, %d impostor pairs)%n",
                r.tarAtFar1e2(), r.thresholdAtFar1e2(), r.genuinePairs(), r.impostorPairs()));
        s.append(String.format(Locale.ROOT, "  TAR @ FAR 1e-3            %.4f  (threshold %.4f)%n", r.tarAtFar1e3(), r.thresholdAtFar1e3()));
        s.append(String.format(Locale.ROOT, "  decision                  %s: threshold %.4f for this gallery%n", r.decision(), r.threshold()));
        s.append(String.format(Locale.ROOT, "    enrolled accepted       %.4f (as someone else %.4f)%n", r.tarAtThreshold(), r.wrongPersonRate()));
        s.append(String.format(Locale.ROOT, "    strangers accepted      %.4f of %d%n", r.openSetFalseAcceptRate(), r.strangers()));
        if (r.impostorTail() != null) {
            s.append(String.format(Locale.ROOT, "  impostor tail             OPEN_SET_IMPOSTOR_TAIL=%s,%s,%s%n",
                    r.impostorTail().scoreAtFar(), r.impostorTail().far(), r.impostorTail().scale()));
        }
        s.append("  curve (threshold: enrolled accepted / strangers accepted):\n");
        for (var p : r.curves().decision()) {
            s.append(String.format(Locale.ROOT, "    decision at %6.2f %% strangers: %.3f  %.4f / %.4f%n", 100 * p.strangerRate(),
                    p.threshold(), p.tar(), p.strangersAccepted()));
        }
        for (var p : r.curves().fixed()) {
            if (Math.round(p.threshold() * 100) % 5 == 0) {
                s.append(String.format(Locale.ROOT, "    fixed threshold:                %.3f  %.4f / %.4f%n", p.threshold(), p.tar(),
                        p.strangersAccepted()));
            }
        }
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

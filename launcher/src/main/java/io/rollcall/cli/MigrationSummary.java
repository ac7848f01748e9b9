package io.rollcall.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * A migration's or rollback's report as a person reads it: the same numbers as the JSON ({@code --report}, the job's
 * status), in words. Works on the JSON, so a report from a running service and one made in process print alike.
 */
final class MigrationSummary {
    private MigrationSummary() {
    }

    static void print(JsonNode r, PrintWriter out) {
        if (r.path("kind").asString().equals("rollback")) {
            out.printf(Locale.ROOT, "Rollback of migration batch %s: %d rows deleted, of %d people%s%n",
                    r.path("batch_id").asString(), r.path("samples_deleted").asInt(), r.path("persons").asInt(),
                    r.path("already_rolled_back").asBoolean() ? " (it had been rolled back before)" : "");
            out.flush();
            return;
        }
        boolean dryRun = r.path("dry_run").asBoolean();
        out.printf(Locale.ROOT, "%s %s to pack %s%s%n", dryRun ? "Dry run of migration" : "Migration",
                r.path("batch_id").asString(), r.path("model_pack").asString(), dryRun ? " (nothing written)" : "");
        out.printf(Locale.ROOT, "  people selected:        %d%n", r.path("persons_total").asInt());
        out.printf(Locale.ROOT, "  migrated:               %d (coverage %s)%n", r.path("migrated").asInt(),
                percent(r.path("coverage")));
        int without = r.path("without_usable_photo").asInt();
        out.printf(Locale.ROOT, "  without a usable photo: %d%s%n", without, without > 0 ? " (--missing lists them for re-enrollment)" : "");
        out.printf(Locale.ROOT, "  photos: %d; rows %s: %d; migrated by an earlier run: %d%n", r.path("photos_total").asInt(),
                dryRun ? "it would create" : "created", r.path("samples_created").asInt(), r.path("samples_already_migrated").asInt());
        out.printf(Locale.ROOT, "  photos skipped: %s%n", counts(r.path("skipped")));
        if (!r.path("quality").isEmpty()) {
            out.printf(Locale.ROOT, "  quality of the photos migrated (reported, not enforced): %s%n", counts(r.path("quality")));
        }
        JsonNode v = r.path("validation");
        out.printf(Locale.ROOT, "  validation on the school's own photos: %d people, %d probes, rank-1 %s; %d genuine and %d"
                        + " impostor pairs, TAR at FAR 1e-3 %s%n",
                v.path("persons").asInt(), v.path("probes").asInt(), number(v.path("rank1")), v.path("genuine_pairs").asInt(),
                v.path("impostor_pairs").asInt(), number(v.path("tar_at_far_1e-3")));
        out.printf(Locale.ROOT, "  decision for the %d faces now enrolled: %s, threshold %s, probes recognised %s;"
                        + " this school's own photos recommend %s%n",
                v.path("gallery_faces").asInt(), v.path("decision").asString(), number(v.path("threshold_in_force")),
                number(v.path("tar_at_threshold_in_force")),
                v.path("recommended_threshold").isNumber() ? number(v.path("recommended_threshold")) : "nothing yet (too few pairs)");
        for (JsonNode w : r.path("warnings")) {
            out.println("WARNING: " + w.asString());
        }
        if (!dryRun && r.path("samples_created").asInt() > 0) {
            out.println("Roll back with: ./rollcall migrate --rollback " + r.path("batch_id").asString());
        }
        out.flush();
    }

    /** {@code no_face 1, duplicate 2}: the non-zero counts, or {@code none}. */
    private static String counts(JsonNode object) {
        List<String> parts = new ArrayList<>();
        object.properties().forEach(e -> {
            if (e.getValue().asInt() != 0) {
                parts.add(e.getKey() + " " + e.getValue().asInt());
            }
        });
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String number(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4f", n.asDouble()) : "n/a";
    }

    private static String percent(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.1f %%", 100 * n.asDouble()) : "n/a";
    }
}

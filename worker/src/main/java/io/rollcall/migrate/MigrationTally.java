package io.rollcall.migrate;

import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.storage.MigrationCandidate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A migration run's counts so far, person by person, and the report they make at its end. */
final class MigrationTally {
    /** A threshold this far from the one the school's photos recommend is worth a warning. */
    static final double THRESHOLD_WARNING_DISTANCE = 0.05;
    /** Codes named in a warning about codes that match nobody; the count says how many there were. */
    private static final int LISTED_UNKNOWN_CODES = 20;

    /** One person's photos, as they went. */
    static final class Outcome {
        private final List<float[]> embeddings = new ArrayList<>();
        private final List<SkipReason> skips = new ArrayList<>();
        private int created;
        private int kept;

        List<float[]> embeddings() {
            return embeddings;
        }

        void created(float[] embedding) {
            embeddings.add(embedding);
            created++;
        }

        void kept(float[] embedding) {
            embeddings.add(embedding);
            kept++;
        }

        void skip(SkipReason reason) {
            skips.add(reason);
        }
    }

    private final int total;
    private int done;
    private int migrated;
    private int photos;
    private int created;
    private int kept;
    private final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
    private final Map<String, Integer> quality = new TreeMap<>();
    private final List<List<float[]>> recognisable = new ArrayList<>();
    private final List<MigrationReport.MissingPerson> missing = new ArrayList<>();
    /** The gallery's faces when the run began: with {@link #created}, the size the decision is for afterwards. */
    private final int galleryBefore;

    MigrationTally(int total, int galleryBefore) {
        this.total = total;
        this.galleryBefore = galleryBefore;
    }

    int done() {
        return done;
    }

    /** Counts a new row's quality verdict. */
    void quality(String recommendation) {
        quality.merge(recommendation, 1, Integer::sum);
    }

    void add(MigrationCandidate person, Outcome o) {
        done++;
        created += o.created;
        kept += o.kept;
        photos += person.photos().size();
        o.skips.forEach(r -> skipped.merge(r, 1, Integer::sum));
        if (!o.embeddings.isEmpty()) {
            migrated++;
            recognisable.add(o.embeddings);
        } else {
            String reason = o.skips.stream().map(SkipReason::code).collect(Collectors.toCollection(LinkedHashSet::new))
                    .stream().collect(Collectors.joining(";"));
            missing.add(new MigrationReport.MissingPerson(person.person().type().wireName(), person.person().code(),
                    person.name(), reason));
        }
    }

    MigrationProgress progress() {
        return new MigrationProgress(total, done, migrated, done - migrated);
    }

    /**
     * @param decision     the open-set decision the service recognises with, for the threshold in force
     * @param strangerRate {@code OPEN_SET_FALSE_ACCEPT_RATE}, for the threshold the school's own photos recommend
     */
    MigrationReport report(String batchId, MigrationOptions options, String pack, Set<String> unknownCodes,
                           OpenSetDecision decision, double strangerRate) {
        MigrationReport.Validation validation = SchoolValidation.of(recognisable, decision, strangerRate,
                galleryBefore + created);
        Map<String, Integer> skips = new LinkedHashMap<>();
        for (SkipReason r : SkipReason.values()) {
            skips.put(r.code(), skipped.getOrDefault(r, 0));
        }
        return new MigrationReport("migration", batchId, options.dryRun(), pack, options.describe(), total, migrated,
                done - migrated, photos, created, kept, skips, total == 0 ? null : round((double) migrated / total),
                validation, quality, warnings(validation, unknownCodes, strangerRate), missing);
    }

    private List<String> warnings(MigrationReport.Validation v, Set<String> unknownCodes, double strangerRate) {
        List<String> warnings = new ArrayList<>();
        if (v.recommendedThreshold() != null
                && Math.abs(v.recommendedThreshold() - v.thresholdInForce()) > THRESHOLD_WARNING_DISTANCE) {
            warnings.add(String.format(Locale.ROOT, "This school's own photos put the threshold for %d faces at %.4f"
                            + " (%s of strangers accepted); the decision in force (%s) uses %.4f. Consider"
                            + " OPEN_SET_IMPOSTOR_TAIL=%s,%s,%s on every worker", v.galleryFaces(),
                    v.recommendedThreshold(), strangerRate, v.decision(), v.thresholdInForce(),
                    v.impostorTail().scoreAtFar(), v.impostorTail().far(), v.impostorTail().scale()));
        }
        if (v.impostorPairs() > 0 && v.impostorPairs() < SchoolValidation.PAIRS_FOR_ROUGH_TAIL) {
            warnings.add("Only " + v.impostorPairs() + " impostor pairs: too few to fit this school's own impostor"
                    + " tail (" + SchoolValidation.PAIRS_FOR_ROUGH_TAIL + " at least, " + SchoolValidation.PAIRS_FOR_TAIL
                    + " for a firm one); the pack's stays in force, and threshold_at_far_1e-3 is only a bound");
        } else if (v.impostorPairs() > 0 && v.impostorPairs() < SchoolValidation.PAIRS_FOR_TAIL) {
            warnings.add(String.format(Locale.ROOT, "This school's impostor tail is fitted on only %d impostor pairs,"
                            + " anchored at FAR %s instead of 0.001: take recommended_threshold as a first estimate"
                            + " until %d pairs (about 100 people with two photos each) firm it up",
                    v.impostorPairs(), v.impostorTail().far(), SchoolValidation.PAIRS_FOR_TAIL));
        }
        if (v.probes() == 0 && migrated > 0) {
            warnings.add("Nobody migrated has two usable photos: rank-1 and the true accept rate cannot be measured");
        }
        if (!unknownCodes.isEmpty()) {
            warnings.add(unknownCodes.size() + " of the codes given match nobody the old system knows: "
                    + unknownCodes.stream().limit(LISTED_UNKNOWN_CODES).collect(Collectors.joining(", "))
                    + (unknownCodes.size() > LISTED_UNKNOWN_CODES ? ", …" : ""));
        }
        return warnings;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

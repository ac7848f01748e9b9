package io.rollcall.migrate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rollcall.engine.model.ModelPack;
import java.util.List;
import java.util.Map;

/**
 * What a migration run did (a dry run: would do), as {@code --report}, the job's status and the batch record show
 * it. Field names are a contract: the README documents them and the missing-people CSV is built from
 * {@link #missing}.
 *
 * @param kind                   always {@code migration} (a rollback's report is {@link RollbackReport})
 * @param batchId                the run's id: what {@code --rollback} takes; recorded with every row it created
 * @param selection              the filters, the codes counted rather than listed
 * @param personsTotal           people the run selected: known to the old system, matching the filters, without a
 *                               sample of the pack (or left half-done by an earlier run), at most {@code limit}
 * @param migrated               of them, how many now have at least one sample of the pack
 * @param withoutUsablePhoto     of them, how many have none: listed in {@link #missing}
 * @param photosTotal            the selected people's photos: old {@code FaceData} images and portraits
 * @param samplesCreated         {@code FaceData} rows this run created
 * @param samplesAlreadyMigrated photos an earlier, interrupted run had migrated already (not created again)
 * @param skipped                photos not migrated, by {@link SkipReason#code()}; {@code no_photo} counts people
 * @param coverage               {@code migrated / persons_total}; null when nobody was selected
 * @param quality                the quality recommendation of each photo migrated now, counted (reported, never
 *                               refused: the old system accepted these photos)
 * @param warnings               what the reader should act on, also printed
 * @param missing                the people left without a usable photo, for re-enrollment
 */
public record MigrationReport(String kind, String batchId, boolean dryRun, String modelPack, Map<String, Object> selection,
                              int personsTotal, int migrated, int withoutUsablePhoto, int photosTotal,
                              int samplesCreated, int samplesAlreadyMigrated, Map<String, Integer> skipped,
                              Double coverage, Validation validation, Map<String, Integer> quality,
                              List<String> warnings, List<MissingPerson> missing) {

    public MigrationReport {
        selection = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(selection));
        skipped = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(skipped));
        quality = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(quality));
        warnings = List.copyOf(warnings);
        missing = List.copyOf(missing);
    }

    public int skipped(SkipReason reason) {
        return skipped.getOrDefault(reason.code(), 0);
    }

    /**
     * The migration checked on the school's own photos, as {@code ./rollcall eval} checks a pack on a labelled folder:
     * each migrated person's first photo is their enrollment; every further migrated photo of theirs is a probe,
     * searched against all first photos (rank-1), compared with their own (a genuine pair) and with everyone else's
     * (impostor pairs). Photos refused as duplicates or mismatches are not among them: they are not known to be of
     * the person.
     *
     * @param persons                migrated people, each with one enrollment photo
     * @param probes                 further photos of people with two or more
     * @param rank1                  probes whose most similar enrollment photo is their own person's; null without probes
     * @param tarAtFar1e3            genuine pairs accepted at {@code thresholdAtFar1e3}; null without pairs
     * @param thresholdAtFar1e3      the lowest similarity at which at most 1 in 1,000 of this school's impostor pairs
     *                               is accepted (rounded up to 4 decimals); null without impostor pairs
     * @param galleryFaces           the gallery's faces after this run: what the decision's threshold is for
     * @param decision               the open-set rule in force, in words
     * @param thresholdInForce       the threshold that rule gives {@code galleryFaces} faces
     * @param tarAtThresholdInForce  probes recognised as their own person at {@code thresholdInForce}; null without probes
     * @param impostorTail           this school's own impostor tail ({@code OPEN_SET_IMPOSTOR_TAIL}), anchored at FAR
     *                               1e-3 from 10,000 impostor pairs, or where ten pairs lie above it from 100; else null
     * @param recommendedThreshold   the threshold this school's own tail gives {@code galleryFaces} faces at
     *                               {@code OPEN_SET_FALSE_ACCEPT_RATE}; null without a tail
     */
    public record Validation(int persons, int probes, Double rank1, int genuinePairs, int impostorPairs,
                             @JsonProperty("tar_at_far_1e-3") Double tarAtFar1e3,
                             @JsonProperty("threshold_at_far_1e-3") Double thresholdAtFar1e3, int galleryFaces,
                             String decision, double thresholdInForce, Double tarAtThresholdInForce,
                             ModelPack.ImpostorTail impostorTail, Double recommendedThreshold) {
    }

    /** One row of the missing-people CSV: who to re-enroll and why. {@code reason}: skip codes joined by {@code ;}. */
    public record MissingPerson(String personType, String personCode, String personName, String reason) {
    }
}

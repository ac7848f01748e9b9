package io.rollcall.reembed;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did (or, in a dry run, would do), so far or in the end.
 *
 * @param model          the configured pack the samples are moved to
 * @param dryRun         whether nothing was written; {@code reembedded} then counts samples that would be tried
 * @param scanned        rows read
 * @param reembedded     rows rewritten with the configured pack's embedding
 * @param alreadyCurrent rows already of the configured pack (a re-run skips them)
 * @param skipped        rows left untouched per reason ({@link SkipReason#LEGACY_DESCRIPTOR} included)
 * @param skippedSamples the rows left untouched, each with its reason, except legacy rows (counted only)
 * @param failed         rows whose re-embedding failed unexpectedly; left untouched
 */
public record ReembedReport(String model, boolean dryRun, int scanned, int reembedded, int alreadyCurrent,
                            Map<SkipReason, Integer> skipped, List<SkippedSample> skippedSamples,
                            List<FailedSample> failed) {

    public ReembedReport {
        EnumMap<SkipReason, Integer> counts = new EnumMap<>(SkipReason.class);
        counts.putAll(skipped);
        skipped = java.util.Collections.unmodifiableMap(counts);
        skippedSamples = List.copyOf(skippedSamples);
        failed = List.copyOf(failed);
    }

    /** Rows skipped for any reason. */
    public int skippedTotal() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int skipped(SkipReason reason) {
        return skipped.getOrDefault(reason, 0);
    }

    /** Whether nothing failed unexpectedly (skipped rows are expected). */
    public boolean succeeded() {
        return failed.isEmpty();
    }
}

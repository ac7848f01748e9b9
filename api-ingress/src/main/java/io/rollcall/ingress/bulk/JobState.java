package io.rollcall.ingress.bulk;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the ingress knows of one job: a CSV bulk import or a migration (their progress shares one topic).
 *
 * @param status            {@code queued} (accepted, no worker has started it yet), {@code running}, {@code completed}
 *                          (every item tried) or {@code aborted} (stopped early; {@code lastError} says why)
 * @param failures          the failed items this ingress saw reported, in order (at most {@link JobBoard#MAX_FAILURES})
 * @param failuresTruncated true when more items failed than {@code failures} lists
 * @param workerId          the worker running it; null while queued
 * @param reportJson        the report of a job whose kind makes one (a migration's), once it has ended; else null
 */
public record JobState(String jobId, String status, int total, int done, int failed, ItemFailure lastError,
                       List<ItemFailure> failures, boolean failuresTruncated, String sourceName, String workerId,
                       Instant updatedAt, String reportJson) {

    public JobState {
        failures = List.copyOf(failures);
    }

    /**
     * One failed item.
     *
     * @param itemIndex  0-based row of the job; -1 for a failure of the job as a whole
     * @param line       the CSV line, null for the job as a whole
     * @param errorCode  the stable error code, as {@code POST /api/face/enroll} would have answered
     * @param details    structured context, e.g. the person a duplicate face belongs to
     */
    public record ItemFailure(int itemIndex, Integer line, String personCode, String errorCode, String message,
                              Map<String, Object> details) {
        public ItemFailure {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }
}

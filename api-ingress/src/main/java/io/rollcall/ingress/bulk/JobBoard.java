package io.rollcall.ingress.bulk;

import io.rollcall.json.Json;
import io.rollcall.schemas.BulkItemFailure;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.BulkJobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The latest state of recent jobs (CSV bulk imports and migrations), built from their progress events; bounded, so that months of imports do not
 * grow the ingress's memory: the {@link #MAX_JOBS} most recently updated jobs are kept, each with at most
 * {@link #MAX_FAILURES} failed items listed.
 *
 * <p>A progress event carries counts and the most recent failure only. Workers publish one after every item, so
 * every failure is the {@code last_error} of at least one event, and the list of failures is collected from them as
 * they arrive. A job run again from the start (redelivered to another worker) begins with a RUNNING event at 0
 * done, which starts a fresh list. The topic is compacted by job id: an ingress started after a job's events were
 * compacted sees its final counts exactly but may list fewer of its failures.
 */
final class JobBoard {
    static final int MAX_JOBS = 1_000;
    static final int MAX_FAILURES = 200;

    private final Map<String, Entry> jobs = new LinkedHashMap<>();

    private static final class Entry {
        final String jobId;
        String status;
        int total;
        int done;
        int failed;
        JobState.ItemFailure lastError;
        final List<JobState.ItemFailure> failures = new ArrayList<>();
        final Set<Integer> failedItems = new HashSet<>();
        boolean truncated;
        String sourceName;
        String workerId;
        Instant updatedAt;
        String reportJson;

        Entry(String jobId) {
            this.jobId = jobId;
        }

        JobState state() {
            return new JobState(jobId, status, total, done, failed, lastError, failures, truncated, sourceName, workerId,
                    updatedAt, reportJson);
        }
    }

    /** A job just submitted here: {@code queued} until a worker's first event, which this never overwrites. */
    synchronized void queued(String jobId, int total, String sourceName, Instant at) {
        Entry entry = jobs.get(jobId);
        if (entry == null) {
            entry = new Entry(jobId);
            entry.status = "queued";
            entry.total = total;
            entry.updatedAt = at;
            touch(entry);
        }
        entry.sourceName = sourceName;
    }

    synchronized void apply(BulkJobProgress progress) {
        Entry entry = jobs.get(progress.getJobId());
        if (entry == null) {
            entry = new Entry(progress.getJobId());
        }
        if (progress.getStatus() == BulkJobStatus.RUNNING && progress.getDone() == 0) {
            entry.failures.clear();
            entry.failedItems.clear();
            entry.truncated = false;
        }
        entry.status = progress.getStatus().name().toLowerCase(Locale.ROOT);
        entry.total = progress.getTotal();
        entry.done = progress.getDone();
        entry.failed = progress.getFailed();
        entry.workerId = progress.getWorkerId();
        entry.updatedAt = progress.getUpdatedAt();
        // Carried by a job's final event; a job run again from the start has none until it ends again.
        entry.reportJson = progress.getReportJson();
        entry.lastError = progress.getLastError() == null ? null : failure(progress.getLastError());
        if (entry.lastError != null && entry.failedItems.add(entry.lastError.itemIndex())) {
            if (entry.failures.size() < MAX_FAILURES) {
                entry.failures.add(entry.lastError);
            } else {
                entry.truncated = true;
            }
        }
        touch(entry);
    }

    synchronized Optional<JobState> find(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(Entry::state);
    }

    /** Moves the entry to the young end; the oldest goes when there are too many. */
    private void touch(Entry entry) {
        jobs.remove(entry.jobId);
        jobs.put(entry.jobId, entry);
        if (jobs.size() > MAX_JOBS) {
            jobs.remove(jobs.keySet().iterator().next());
        }
    }

    private static JobState.ItemFailure failure(BulkItemFailure f) {
        Map<String, Object> details = new LinkedHashMap<>();
        String json = f.getError().getDetailsJson();
        if (json != null && !json.isBlank()) {
            try {
                Json.MAPPER.readTree(json).properties().stream()
                        .filter(e -> !e.getValue().isNull())
                        .forEach(e -> details.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class)));
            } catch (RuntimeException e) {
                details.put("worker_details", json);
            }
        }
        return new JobState.ItemFailure(f.getItemIndex(), f.getSourceLine(), f.getPersonCode(), f.getError().getCode(),
                f.getError().getMessage(), details);
    }
}

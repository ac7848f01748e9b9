package io.rollcall.ingress.migration;

import io.rollcall.ingress.bulk.JobState;
import io.rollcall.ingress.http.SchoolTime;
import io.rollcall.json.Json;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The migration endpoints' HTTP bodies (snake_case, as every response of the API). */
final class MigrationResponses {
    private MigrationResponses() {
    }

    /** {@code POST /api/admin/migration}: who moves now; every field optional (none: everyone, for real). */
    record MigrateBody(String personType, String campus, String form, List<String> codes, Integer limit, Boolean dryRun) {
    }

    /** @param batchId the batch the job migrates (its own id) or rolls back */
    record Accepted(boolean success, String message, String jobId, String batchId, String statusUrl) {
    }

    /**
     * A migration's or rollback's state.
     *
     * @param kind    {@code migration} or {@code rollback}, from the report; null until the job has ended
     * @param batchId the batch migrated or rolled back, from the report; null until the job has ended
     * @param total   people selected (a rollback: people in the batch); 0 until a worker has selected them
     * @param done    of them, finished
     * @param failed  of them, left without a usable photo
     * @param report  the report once the job has completed (the same as {@code --report} writes); else null
     */
    record Status(boolean success, String jobId, String kind, String batchId, String status, int total, int done,
                  int failed, LastError lastError, JsonNode report, String missingCsvUrl, String worker, String updatedAt) {

        static Status of(JobState s, String missingCsvUrl, SchoolTime time) {
            JsonNode report = reportOf(s);
            return new Status(true, s.jobId(), text(report, "kind"), text(report, "batch_id"), s.status(), s.total(),
                    s.done(), s.failed(), LastError.of(s.lastError()), report,
                    report != null && report.has("missing") ? missingCsvUrl : null, s.workerId(),
                    time.toMillisecond(s.updatedAt()));
        }

        private static String text(JsonNode report, String field) {
            return report == null || !report.path(field).isString() ? null : report.path(field).asString();
        }
    }

    /** Why a job ended early: the stable code (NOT_FOUND for an unknown batch) and the message. */
    record LastError(String errorCode, String message, Map<String, Object> details) {
        static LastError of(JobState.ItemFailure f) {
            return f == null ? null : new LastError(f.errorCode(), f.message(), f.details());
        }
    }

    /** The report a job's final event carried, or null; a report that cannot be read is left out, not guessed at. */
    static JsonNode reportOf(JobState s) {
        if (s.reportJson() == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(s.reportJson());
        } catch (RuntimeException e) {
            return null;
        }
    }
}

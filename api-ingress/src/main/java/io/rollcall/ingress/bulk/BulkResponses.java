package io.rollcall.ingress.bulk;

import io.rollcall.ingress.http.SchoolTime;
import java.util.List;
import java.util.Map;

/** The bulk-import HTTP bodies (snake_case, as every response of the API). */
final class BulkResponses {
    private BulkResponses() {
    }

    /** The body of {@code POST /api/face/bulk-import} when given as JSON rather than as the CSV itself. */
    record ImportBody(String csv, String sourceName, Boolean allowDuplicate) {
    }

    record Accepted(boolean success, String message, String jobId, int total, String statusUrl) {
    }

    record Status(boolean success, String jobId, String status, int total, int done, int failed, int successful,
                  Failure lastError, List<Failure> failures, boolean failuresTruncated, String sourceName, String worker,
                  String updatedAt) {
        static Status of(JobState s, SchoolTime time) {
            return new Status(true, s.jobId(), s.status(), s.total(), s.done(), s.failed(), s.done() - s.failed(),
                    Failure.of(s.lastError()), s.failures().stream().map(Failure::of).toList(), s.failuresTruncated(),
                    s.sourceName(), s.workerId(), time.toMillisecond(s.updatedAt()));
        }
    }

    /** A failed row: its CSV line (null for the job as a whole), the code enroll would have answered, and why. */
    record Failure(Integer line, String personCode, String errorCode, String message, Map<String, Object> details) {
        static Failure of(JobState.ItemFailure f) {
            return f == null ? null : new Failure(f.line(), f.personCode(), f.errorCode(), f.message(), f.details());
        }
    }
}

package io.rollcall.ingress.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.bulk.FakeBulkJobs;
import io.rollcall.json.Json;
import io.rollcall.schemas.BulkItemFailure;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.BulkJobStatus;
import io.rollcall.schemas.ErrorInfo;
import io.rollcall.schemas.MigrationJob;
import io.rollcall.schemas.PersonType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class MigrationHttpTest extends IngressHttpTest {
    private static final String REPORT = """
            {"kind": "migration", "batch_id": "%s", "dry_run": false, "persons_total": 3, "migrated": 1,
             "without_usable_photo": 2, "skipped": {"no_photo": 1, "no_face": 1},
             "missing": [{"person_type": "student", "person_code": "S002", "person_name": "Bo, the second", "reason": "no_photo"},
                         {"person_type": "teacher", "person_code": "T09", "person_name": null, "reason": "no_face;duplicate"}]}""";

    @Autowired
    FakeBulkJobs jobs;

    @BeforeEach
    void noJobsYet() {
        jobs.reset();
    }

    @Test
    void aSelectionIsQueuedAsOneMigrationJobWhoseIdIsTheBatchId() {
        HttpAnswer answer = postJson("/api/admin/migration", """
                {"person_type": "Student", "campus": " North ", "form": "10A", "codes": ["S001 ", "S002", "S001"],
                 "limit": 50, "dry_run": true}""");

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        MigrationJob job = jobs.migrations().getFirst();
        JsonNode body = answer.json();
        assertThat(body.get("job_id").asString()).isEqualTo(job.getJobId()).matches("[0-9a-f-]{36}");
        assertThat(body.get("batch_id").asString()).isEqualTo(job.getJobId());
        assertThat(body.get("status_url").asString()).isEqualTo("/api/admin/migration/" + job.getJobId());
        assertThat(answer.header("Location")).endsWith("/api/admin/migration/" + job.getJobId());
        assertThat(body.get("message").asString()).startsWith("Migration dry run queued: nothing will be written");
        assertThat(job.getRollbackBatchId()).isNull();
        assertThat(job.getPersonType()).isEqualTo(PersonType.STUDENT);
        assertThat(job.getCampus()).isEqualTo("North");
        assertThat(job.getForm()).isEqualTo("10A");
        assertThat(job.getCodes()).containsExactly("S001", "S002");
        assertThat(job.getLimit()).isEqualTo(50);
        assertThat(job.getDryRun()).isTrue();
        assertThat(job.getClient()).isEqualTo("127.0.0.1");
    }

    @Test
    void withoutABodyEveryoneMovesForReal() {
        HttpAnswer answer = send(request("/api/admin/migration").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        MigrationJob job = jobs.migrations().getFirst();
        assertThat(job.getPersonType()).isNull();
        assertThat(job.getCodes()).isEmpty();
        assertThat(job.getLimit()).isNull();
        assertThat(job.getDryRun()).isFalse();
    }

    @Test
    void badOptionsAreValidationErrorsNamingTheFieldAndQueueNothing() {
        postJson("/api/admin/migration", "{\"person_type\": \"parent\"}").assertValidationError("person_type");
        postJson("/api/admin/migration", "{\"limit\": 0}").assertValidationError("limit");
        postJson("/api/admin/migration", "{\"codes\": [\"S001\", \"ELEVEN_CHARS\"]}").assertValidationError("codes");
        postJson("/api/admin/migration", "{\"codes\": [\"  \"]}").assertValidationError("codes");
        postJson("/api/admin/migration", "{\"campus\": \"" + "c".repeat(51) + "\"}").assertValidationError("campus");
        postJson("/api/admin/migration", "{\"form\": \"" + "f".repeat(101) + "\"}").assertValidationError("form");
        postJson("/api/admin/migration/not_a_batch/rollback", "").assertValidationError("batch_id");
        postJson("/api/admin/migration/" + "a".repeat(37) + "/rollback", "").assertValidationError("batch_id");
        assertThat(jobs.migrations()).isEmpty();
    }

    @Test
    void aRollbackIsQueuedAsAJobOfItsOwnNamingTheBatch() {
        String batch = "0b6f7d36-1d7e-4a43-9c61-1d0c8f0f5a11";

        HttpAnswer answer = postJson("/api/admin/migration/" + batch + "/rollback", "");

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        MigrationJob job = jobs.migrations().getFirst();
        assertThat(job.getRollbackBatchId()).isEqualTo(batch);
        assertThat(job.getJobId()).isNotEqualTo(batch);
        assertThat(answer.json().get("batch_id").asString()).isEqualTo(batch);
        assertThat(answer.json().get("status_url").asString()).isEqualTo("/api/admin/migration/" + job.getJobId());
    }

    @Test
    void theStatusFollowsTheWorkerToTheReportAndItsMissingPeopleCsv() {
        String jobId = postJson("/api/admin/migration", "{}").json().get("job_id").asString();
        JsonNode queued = get("/api/admin/migration/" + jobId).json();
        assertThat(queued.get("status").asString()).isEqualTo("queued");
        assertThat(queued.get("report").isNull()).isTrue();
        get("/api/admin/migration/" + jobId + "/missing.csv").assertError(404, ErrorCode.NOT_FOUND);

        jobs.progress(progress(jobId, BulkJobStatus.RUNNING, 1, 0, null));
        assertThat(get("/api/admin/migration/" + jobId).json().get("status").asString()).isEqualTo("running");
        jobs.progress(progress(jobId, BulkJobStatus.COMPLETED, 3, 2, REPORT.formatted(jobId)));

        HttpAnswer completed = get("/api/admin/migration/" + jobId);
        assertThat(completed.json()).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "job_id": "%1$s", "kind": "migration", "batch_id": "%1$s", "status": "completed",
                 "total": 3, "done": 3, "failed": 2, "last_error": null, "report": %2$s,
                 "missing_csv_url": "/api/admin/migration/%1$s/missing.csv", "worker": "worker-1",
                 "updated_at": "2026-11-21T09:00:03.000+01:00"}""".formatted(jobId, REPORT.formatted(jobId))));

        HttpAnswer csv = get("/api/admin/migration/" + jobId + "/missing.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body().lines().toList()).containsExactly(
                "person_type,person_code,person_name,reason",
                "student,S002,\"Bo, the second\",no_photo",
                "teacher,T09,,no_face;duplicate");
    }

    @Test
    void aRollbackOfAnUnknownBatchEndsAbortedWithNotFound() {
        String jobId = postJson("/api/admin/migration/0b6f7d36-1d7e-4a43-9c61-1d0c8f0f5a11/rollback", "").json()
                .get("job_id").asString();
        jobs.progress(BulkJobProgress.newBuilder().setJobId(jobId).setStatus(BulkJobStatus.ABORTED).setTotal(0).setDone(0)
                .setFailed(0).setWorkerId("worker-1").setUpdatedAt(Instant.parse("2026-11-21T08:00:00Z"))
                .setLastError(BulkItemFailure.newBuilder().setItemIndex(-1).setError(ErrorInfo.newBuilder()
                        .setCode("NOT_FOUND").setMessage("No migration batch 0b6f7d36-1d7e-4a43-9c61-1d0c8f0f5a11").build()).build())
                .build());

        JsonNode status = get("/api/admin/migration/" + jobId).json();

        assertThat(status.get("status").asString()).isEqualTo("aborted");
        assertThat(status.at("/last_error/error_code").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void anUnknownJobIsNotFound() {
        get("/api/admin/migration/0b6f7d36-1d7e-4a43-9c61-1d0c8f0f5a11").assertError(404, ErrorCode.NOT_FOUND);
        get("/api/admin/migration/0b6f7d36-1d7e-4a43-9c61-1d0c8f0f5a11/missing.csv").assertError(404, ErrorCode.NOT_FOUND);
    }

    @Test
    void theOpenApiDocumentListsTheMigrationEndpoints() {
        assertThat(List.copyOf(get("/api/openapi.json").json().get("paths").propertyNames())).contains(
                "/api/admin/migration", "/api/admin/migration/{jobId}", "/api/admin/migration/{jobId}/missing.csv",
                "/api/admin/migration/{batchId}/rollback");
    }

    private static BulkJobProgress progress(String jobId, BulkJobStatus status, int done, int failed, String report) {
        return BulkJobProgress.newBuilder().setJobId(jobId).setStatus(status).setTotal(3).setDone(done).setFailed(failed)
                .setWorkerId("worker-1").setUpdatedAt(Instant.parse("2026-11-21T08:00:00Z").plusSeconds(done))
                .setReportJson(report).build();
    }
}

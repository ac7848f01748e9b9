package io.rollcall.ingress.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.Multipart;
import io.rollcall.json.Json;
import io.rollcall.schemas.BulkEnrollItem;
import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.BulkItemFailure;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.BulkJobStatus;
import io.rollcall.schemas.ErrorInfo;
import io.rollcall.schemas.PersonType;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class BulkImportHttpTest extends IngressHttpTest {
    private static final String CSV = """
            person_type,person_code,person_name,image_path
            student,S001,Ada Lovelace,student/S001_Ada Lovelace/1.jpg
            Teacher,T01,"Hopper, Grace",teacher/T01/portrait.png
            """;

    @Autowired
    FakeBulkJobs jobs;

    @BeforeEach
    void noJobsYet() {
        jobs.reset();
    }

    private HttpAnswer postCsv(String path, String csv) {
        return send(request(path).header("Content-Type", "text/csv").POST(BodyPublishers.ofString(csv, StandardCharsets.UTF_8)));
    }

    @Test
    void aValidCsvBodyIsQueuedAsOneJobAndAnswered202WithWhereToFollowIt() {
        HttpAnswer answer = postCsv("/api/face/bulk-import?source_name=form7.csv", CSV);

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        JsonNode body = answer.json();
        BulkEnrollJob job = jobs.submitted().getFirst();
        assertThat(jobs.submitted()).hasSize(1);
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("job_id").asString()).isEqualTo(job.getJobId()).matches("[0-9a-f-]{36}");
        assertThat(body.get("total").asInt()).isEqualTo(2);
        assertThat(body.get("status_url").asString()).isEqualTo("/api/face/bulk-import/" + job.getJobId());
        assertThat(answer.header("Location")).endsWith("/api/face/bulk-import/" + job.getJobId());
        assertThat(job.getSourceName()).isEqualTo("form7.csv");
        assertThat(job.getAllowDuplicate()).isFalse();
        assertThat(job.getClient()).isEqualTo("127.0.0.1");
        assertThat(job.getItems()).containsExactly(
                BulkEnrollItem.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001").setPersonName("Ada Lovelace")
                        .setImagePath("student/S001_Ada Lovelace/1.jpg").setSourceLine(2).build(),
                BulkEnrollItem.newBuilder().setPersonType(PersonType.TEACHER).setPersonCode("T01").setPersonName("Hopper, Grace")
                        .setImagePath("teacher/T01/portrait.png").setSourceLine(3).build());
    }

    @Test
    void aCsvInTheCharsetItsContentTypeDeclaresIsDecodedSoAndUtf8OtherwiseIsRequired() {
        byte[] windows1252 = (CSV.lines().findFirst().orElseThrow() + "\nstudent,S002,Zoë Ångström,student/S002/1.jpg\n")
                .getBytes(java.nio.charset.Charset.forName("windows-1252"));

        HttpAnswer declared = send(request("/api/face/bulk-import").header("Content-Type", "text/csv; charset=windows-1252")
                .POST(BodyPublishers.ofByteArray(windows1252)));
        HttpAnswer undeclared = send(request("/api/face/bulk-import").header("Content-Type", "text/csv")
                .POST(BodyPublishers.ofByteArray(windows1252)));

        assertThat(declared.status()).as(declared.body()).isEqualTo(202);
        assertThat(jobs.submitted().getFirst().getItems().getFirst().getPersonName()).isEqualTo("Zoë Ångström");
        assertThat(undeclared.assertValidationError("csv").toString()).isNotEmpty();
        assertThat(undeclared.message()).isEqualTo("The CSV is not UTF-8 text; save it as CSV UTF-8");
        assertThat(jobs.submitted()).hasSize(1);
    }

    @Test
    void aFormUploadTakesTheSourceNameFromTheFile() {
        Multipart form = new Multipart().field("allow_duplicate", "true")
                .file("file", "class-7b.csv", "text/csv", CSV.getBytes(StandardCharsets.UTF_8));

        HttpAnswer answer = send(request("/api/face/bulk-import").POST(BodyPublishers.ofByteArray(form.bytes())),
                "Content-Type", form.contentType());

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        BulkEnrollJob job = jobs.submitted().getFirst();
        assertThat(job.getSourceName()).isEqualTo("class-7b.csv");
        assertThat(job.getAllowDuplicate()).isTrue();
        assertThat(job.getItems()).hasSize(2);
    }

    @Test
    void aCsvLargerThanAnImageIsAcceptedAsAFormUpload() {
        StringBuilder csv = new StringBuilder("person_type,person_code,person_name,image_path\n");
        for (int i = 0; i < 200; i++) {
            csv.append("student,S").append(i).append(",Student number ").append(i).append(",student/S").append(i).append("/1.jpg\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isGreaterThan((int) io.rollcall.ingress.TestIngressSettings.MAX_IMAGE_BYTES);
        Multipart form = new Multipart().file("file", "big.csv", "text/csv", bytes);

        HttpAnswer answer = send(request("/api/face/bulk-import").POST(BodyPublishers.ofByteArray(form.bytes())),
                "Content-Type", form.contentType());

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(jobs.submitted().getFirst().getItems()).hasSize(200);
    }

    @Test
    void theCsvCanComeInsideJson() {
        HttpAnswer answer = postJson("/api/face/bulk-import", Json.MAPPER.writeValueAsString(
                Map.of("csv", CSV, "source_name", "form7.csv", "allow_duplicate", true)));

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(jobs.submitted().getFirst().getItems()).hasSize(2);
        assertThat(jobs.submitted().getFirst().getAllowDuplicate()).isTrue();
    }

    @Test
    void anyInvalidRowRefusesTheWholeCsvListingTheBadLinesAndQueuesNothing() {
        HttpAnswer answer = postCsv("/api/face/bulk-import", """
                person_type,person_code,person_name,image_path
                student,S001,Ada,student/S001/1.jpg
                student,S002,Eve,../../etc/passwd
                parent,P1,Mallory,student/P1/1.jpg
                student,S004,Trent,/var/lib/rollcall/secret.jpg
                """);

        JsonNode details = answer.assertValidationError("csv");
        assertThat(answer.message()).isEqualTo("3 rows are invalid (first on line 3); nothing was imported");
        assertThat(details.get("error_count").asInt()).isEqualTo(3);
        assertThat(details.get("errors")).isEqualTo(Json.MAPPER.readTree("""
                [{"line": 3, "field": "image_path", "message": "image_path must not contain '..' segments"},
                 {"line": 4, "field": "person_type", "message": "person_type must be 'student' or 'teacher', got 'parent'"},
                 {"line": 5, "field": "image_path",
                  "message": "image_path must be relative to the import folder, not absolute: '/var/lib/rollcall/secret.jpg'"}]"""));
        assertThat(jobs.submitted()).isEmpty();
    }

    @Test
    void aMalformedCsvIsAValidationErrorAndQueuesNothing() {
        HttpAnswer answer = postCsv("/api/face/bulk-import", "person_type,person_code,person_name,image_path\nstudent,S001,\"Ada,a/1.jpg\n");

        JsonNode details = answer.assertValidationError("csv");
        assertThat(answer.message()).startsWith("The CSV is malformed: ");
        assertThat(details.get("line").asInt()).isEqualTo(2);
        assertThat(jobs.submitted()).isEmpty();
    }

    @Test
    void missingCsvBadSourceNameAndBadFlagAreValidationErrors() {
        postJson("/api/face/bulk-import", "{\"source_name\": \"x.csv\"}").assertValidationError("csv");
        postCsv("/api/face/bulk-import?source_name=" + "x".repeat(256), CSV).assertValidationError("source_name");
        postCsv("/api/face/bulk-import?allow_duplicate=perhaps", CSV).assertValidationError("allow_duplicate");
        Multipart empty = new Multipart().field("source_name", "x.csv");
        send(request("/api/face/bulk-import").POST(BodyPublishers.ofByteArray(empty.bytes())), "Content-Type", empty.contentType())
                .assertValidationError("file");
        assertThat(jobs.submitted()).isEmpty();
    }

    @Test
    void aBodyOverTheCsvLimitIsRequestTooLarge() {
        HttpAnswer declared = send(request("/api/face/bulk-import").header("Content-Type", "text/csv")
                .POST(BodyPublishers.ofByteArray(new byte[ImportCsv.MAX_BYTES + 1])));
        HttpAnswer chunked = send(request("/api/face/bulk-import").header("Content-Type", "text/csv")
                .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[ImportCsv.MAX_BYTES + 1]))));

        assertThat(declared.assertError(413, ErrorCode.REQUEST_TOO_LARGE).get("limit").asInt()).isEqualTo(ImportCsv.MAX_BYTES);
        assertThat(chunked.assertError(413, ErrorCode.REQUEST_TOO_LARGE).get("limit").asInt()).isEqualTo(ImportCsv.MAX_BYTES);
        assertThat(jobs.submitted()).isEmpty();
    }

    @Test
    void whenTheQueueCannotBeReachedTheCallerIsToldTheServiceIsUnavailable() {
        jobs.fail(new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "The bulk job could not be handed to the workers"));

        postCsv("/api/face/bulk-import", CSV).assertError(503, ErrorCode.SERVICE_UNAVAILABLE);
    }

    @Test
    void theStatusIsQueuedThenFollowsTheWorkersProgressWithEveryFailedLine() {
        String jobId = postCsv("/api/face/bulk-import?source_name=form7.csv", CSV).json().get("job_id").asString();

        JsonNode queued = get("/api/face/bulk-import/" + jobId).json();
        assertThat(queued.get("status").asString()).isEqualTo("queued");
        assertThat(queued.get("total").asInt()).isEqualTo(2);
        assertThat(queued.get("done").asInt()).isZero();

        jobs.progress(progress(jobId, BulkJobStatus.RUNNING, 0, 0, null));
        jobs.progress(progress(jobId, BulkJobStatus.RUNNING, 1, 1, noFace()));
        JsonNode running = get("/api/face/bulk-import/" + jobId).json();
        assertThat(running.get("status").asString()).isEqualTo("running");
        assertThat(running.get("worker").asString()).isEqualTo("worker-1");

        jobs.progress(progress(jobId, BulkJobStatus.COMPLETED, 2, 1, noFace()));
        HttpAnswer completed = get("/api/face/bulk-import/" + jobId);
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.json()).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "job_id": "%s", "status": "completed", "total": 2, "done": 2, "failed": 1, "successful": 1,
                 "last_error": {"line": 2, "person_code": "S001", "error_code": "NO_FACE_DETECTED",
                                "message": "No face detected in the provided image", "details": {}},
                 "failures": [{"line": 2, "person_code": "S001", "error_code": "NO_FACE_DETECTED",
                               "message": "No face detected in the provided image", "details": {}}],
                 "failures_truncated": false, "source_name": "form7.csv", "worker": "worker-1",
                 "updated_at": "2026-11-21T09:00:02.250+01:00"}""".formatted(jobId)));
    }

    @Test
    void anUnknownJobIsNotFound() {
        get("/api/face/bulk-import/0b6f7d36-1d7e-4a43-9c61-1d0c8f0f5a11").assertError(404, ErrorCode.NOT_FOUND);
    }

    @Test
    void theOpenApiDocumentListsTheBulkImportEndpointsAndTheirBodies() {
        JsonNode paths = get("/api/openapi.json").json().get("paths");

        assertThat(paths.propertyNames()).contains("/api/face/bulk-import", "/api/face/bulk-import/{jobId}");
        assertThat(paths.at("/~1api~1face~1bulk-import/post/requestBody/content").propertyNames())
                .contains("text/csv", "multipart/form-data", "application/json");
        assertThat(paths.at("/~1api~1face~1bulk-import~1{jobId}").has("get")).isTrue();
    }

    private static BulkJobProgress progress(String jobId, BulkJobStatus status, int done, int failed, BulkItemFailure lastError) {
        return BulkJobProgress.newBuilder().setJobId(jobId).setStatus(status).setTotal(2).setDone(done).setFailed(failed)
                .setLastError(lastError).setWorkerId("worker-1").setUpdatedAt(Instant.parse("2026-11-21T08:00:00.250Z").plusSeconds(done))
                .build();
    }

    private static BulkItemFailure noFace() {
        return BulkItemFailure.newBuilder().setItemIndex(0).setSourceLine(2).setPersonCode("S001")
                .setError(ErrorInfo.newBuilder().setCode("NO_FACE_DETECTED").setMessage("No face detected in the provided image").build())
                .build();
    }
}

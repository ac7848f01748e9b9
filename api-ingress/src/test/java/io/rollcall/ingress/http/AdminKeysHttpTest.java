package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.bulk.FakeBulkJobs;
import io.rollcall.schemas.DeleteResult;
import io.rollcall.schemas.ListCommand;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.PersonType;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * With keys configured, deleting, submitting a bulk import and everything under {@code /api/admin/} need a key from
 * {@code ADMIN_API_KEYS}: a valid ordinary key is {@code FORBIDDEN} there and nothing reaches the workers.
 */
@TestPropertySource(properties = {"ingress.env.API_KEYS=school-key", "ingress.env.ADMIN_API_KEYS=office-key"})
class AdminKeysHttpTest extends IngressHttpTest {
    private static final String CSV = """
            person_type,person_code,person_name,image_path
            student,S001,Ada Lovelace,student/S001/1.jpg
            """;

    @Autowired
    FakeBulkJobs jobs;

    @BeforeEach
    void workerAnswersEverything() {
        jobs.reset();
        gateway.answer(command -> command instanceof ListCommand
                ? ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build()
                : DeleteResult.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001").setDeletedSamples(1).build());
    }

    /** An administrator's request, however spelt. */
    record AdminOperation(String name, Function<AdminKeysHttpTest, HttpRequest.Builder> request, int servedStatus) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<AdminOperation> adminOperations() {
        return List.of(
                new AdminOperation("DELETE /api/face/delete", t -> t.request("/api/face/delete")
                        .header("Content-Type", "application/json")
                        .method("DELETE", BodyPublishers.ofString("{\"person_type\": \"student\", \"person_code\": \"S001\"}")), 200),
                new AdminOperation("DELETE /api/admin/face/7", t -> t.request("/api/admin/face/7").DELETE(), 200),
                new AdminOperation("DELETE /api/face/sample/7", t -> t.request("/api/face/sample/7").DELETE(), 200),
                new AdminOperation("DELETE /api/%61dmin/face/7", t -> t.request("/api/%61dmin/face/7").DELETE(), 200),
                new AdminOperation("POST /api/face/bulk-import", t -> t.request("/api/face/bulk-import")
                        .header("Content-Type", "text/csv").POST(BodyPublishers.ofString(CSV, StandardCharsets.UTF_8)), 202),
                new AdminOperation("POST /api/face/%62ulk-import", t -> t.request("/api/face/%62ulk-import")
                        .header("Content-Type", "text/csv").POST(BodyPublishers.ofString(CSV, StandardCharsets.UTF_8)), 202),
                new AdminOperation("POST /api/face/bulk-import;x=1", t -> t.request("/api/face/bulk-import;x=1")
                        .header("Content-Type", "text/csv").POST(BodyPublishers.ofString(CSV, StandardCharsets.UTF_8)), 202),
                new AdminOperation("GET /api/admin/migration (any path under /api/admin/, even a wrong method)",
                        t -> t.request("/api/admin/migration").GET(), 405),
                new AdminOperation("GET /api/admin/nothing-here (any path under /api/admin/)",
                        t -> t.request("/api/admin/nothing-here").GET(), 404),
                new AdminOperation("POST /api/admin/migration", t -> t.request("/api/admin/migration")
                        .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{}")), 202),
                new AdminOperation("GET /api/admin/migration/{id} (a migration's status)",
                        t -> t.request("/api/admin/migration/no-such-job").GET(), 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminOperations")
    void anOrdinaryKeyIsForbiddenAnAdministratorsOperation(AdminOperation operation) {
        HttpAnswer answer = send(operation.request().apply(this), "X-API-Key", "school-key");

        answer.assertError(403, ErrorCode.FORBIDDEN);
        assertThat(answer.message()).isEqualTo(
                "Deleting, submitting a bulk import and /api/admin/ need an admin key (ADMIN_API_KEYS); this key is not one");
        assertThat(gateway.calls()).isEmpty();
        assertThat(jobs.submitted()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminOperations")
    void anAdminKeyMayDoIt(AdminOperation operation) {
        HttpAnswer answer = send(operation.request().apply(this), "Authorization", "Bearer office-key");

        assertThat(answer.status()).as(answer.body()).isEqualTo(operation.servedStatus());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminOperations")
    void withoutAKeyItIsUnauthorizedAsAnythingElse(AdminOperation operation) {
        send(operation.request().apply(this)).assertError(401, ErrorCode.UNAUTHORIZED);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void anOrdinaryKeyFollowsABulkImportItCouldNotSubmit() {
        HttpAnswer answer = get("/api/face/bulk-import/no-such-job", "X-API-Key", "school-key");

        answer.assertError(404, ErrorCode.NOT_FOUND);
    }

    @Test
    void anAdminKeyIsAlsoAnOrdinaryKey() {
        assertThat(get("/api/face/list/all", "X-API-Key", "office-key").status()).isEqualTo(200);
        assertThat(get("/api/face/list/all", "X-API-Key", "school-key").status()).isEqualTo(200);
    }

    @Test
    void anAdminKeyInEitherHeaderCountsWhateverTheOtherHolds() {
        HttpAnswer answer = send(request("/api/admin/face/7").DELETE(), "X-API-Key", "school-key",
                "Authorization", "Bearer office-key");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Nested
    @TestPropertySource(properties = {"ingress.env.API_KEYS=", "ingress.env.ADMIN_API_KEYS=office-key"})
    class WithOnlyAdminKeys {

        @Test
        void everyCallNeedsTheAdminKeyEvenFromThisMachine() {
            get("/api/face/list/all").assertError(401, ErrorCode.UNAUTHORIZED);
            assertThat(get("/api/face/list/all", "X-API-Key", "office-key").status()).isEqualTo(200);
        }
    }

    @Nested
    @TestPropertySource(properties = {"ingress.env.API_KEYS=school-key", "ingress.env.ADMIN_API_KEYS="})
    class WithoutAdminKeys {

        @Test
        void nobodyMayDeleteThroughTheApi() {
            send(request("/api/admin/face/7").DELETE(), "X-API-Key", "school-key").assertError(403, ErrorCode.FORBIDDEN);
            assertThat(gateway.calls()).isEmpty();
        }
    }
}

package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.gallery.Gallery;
import io.rollcall.person.PersonRef;
import io.rollcall.storage.DescriptorCodec;
import io.rollcall.testing.TestDatabase;
import io.rollcall.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The database is the truth: two workers on one MariaDB database, and rows another program changes with SQL (no
 * gallery event) reach both galleries within the reconciliation interval. Each step changes the database behind the
 * service's back, then waits for both workers, then checks what recognition answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconciliationTest {
    /** One second, so that the test waits seconds; the default is 30. */
    private static final int INTERVAL_SECONDS = 1;
    /** Two intervals and slack for a loaded machine: a change must show by then. */
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static TestDatabase database;
    static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.create(TestDatabase.Kind.MARIADB);
        service = new RunningService(dir, 2, Map.of(
                "DATABASE_URL", database.settings().jdbcUrl(),
                "DATABASE_USER", database.settings().user(),
                "GALLERY_RECONCILE_SECONDS", Integer.toString(INTERVAL_SECONDS)));
        assertThat(enroll("student", "S001", "Angelina Jolie", "angelina_jolie/01.jpg").status()).isEqualTo(200);
        assertThat(enroll("student", "S002", "Kit Harington", "kit_harington/01.jpg").status()).isEqualTo(200);
        assertThat(enroll("teacher", "T001", "Tom Hanks", "tom_hanks/01.jpg").status()).isEqualTo(200);
        awaitOnEveryWorker("the three enrollments", g -> g.size() == 3);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    void aRowMovedToAnotherPersonWithSqlIsRecognisedAsThatPersonEverywhere() throws Exception {
        database.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES ('S003', 'Angie Moved')").update();
        database.sql().sql("UPDATE FaceData SET PersonCode = 'S003' WHERE PersonType = 'student' AND PersonCode = 'S001'").update();

        awaitOnEveryWorker("S001's sample now S003's",
                g -> g.samplesWhere(id -> true).containsValue(PersonRef.student("S003"))
                        && !g.samplesWhere(id -> true).containsValue(PersonRef.student("S001")));
        JsonNode match = recognize("angelina_jolie/04.jpg").path("match");
        assertThat(match.path("person_code").asString()).isEqualTo("S003");
        assertThat(match.path("person_name").asString()).isEqualTo("Angie Moved");
    }

    @Test
    @Order(2)
    void rowsDeletedWithSqlAreForgottenEverywhere() throws Exception {
        database.sql().sql("DELETE FROM FaceData WHERE PersonType = 'student' AND PersonCode = 'S002'").update();

        awaitOnEveryWorker("S002 gone", g -> !g.samplesWhere(id -> true).containsValue(PersonRef.student("S002")));
        assertThat(recognize("kit_harington/02.jpg").path("match").isNull()).isTrue();
    }

    @Test
    @Order(3)
    void aSampleInsertedWithSqlIsRecognisedEverywhere() throws Exception {
        // Another program (a restore, another Rollcall tool) writes a complete Rollcall sample: T001's descriptor
        // again, under a new teacher.
        String descriptor = database.sql().sql("SELECT FaceDescriptor FROM FaceData WHERE PersonCode = 'T001'")
                .query(String.class).single();
        assertThat(DescriptorCodec.decode(descriptor)).isNotNull();
        database.sql().sql("INSERT INTO Teacher (TeacherCode, TeacherName) VALUES ('T002', 'Tom Twice')").update();
        database.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, FaceDescriptor) VALUES ('teacher', 'T002', ?)")
                .param(descriptor).update();

        awaitOnEveryWorker("T002's sample", g -> g.samplesWhere(id -> true).containsValue(PersonRef.teacher("T002")));
    }

    @Test
    @Order(4)
    void aRenameWithSqlReachesRecognitionEverywhere() throws Exception {
        database.sql().sql("UPDATE Student SET StudentName = 'Angelina J.' WHERE StudentCode = 'S003'").update();

        awaitOnEveryWorker("the new name", g -> g.name(PersonRef.student("S003")).equals("Angelina J."));
        assertThat(recognize("angelina_jolie/05.jpg").path("match").path("person_name").asString()).isEqualTo("Angelina J.");
    }

    @Test
    @Order(5)
    void healthShowsEveryWorkersReconciliation() throws Exception {
        // Heartbeats come every 10 s: wait for the ones sent after the last change.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode workers;
        do {
            workers = service.http.get("/api/health").body().path("workers");
            if (workers.size() == 2 && workers.findValues("enrolled_faces").stream().allMatch(n -> n.asInt() == 3)) {
                break;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        assertThat(workers.findValuesAsString("worker_id")).containsExactly("worker-1", "worker-2");
        for (JsonNode worker : workers) {
            assertThat(worker.path("last_reconciled_at").isString()).as(worker.toString()).isTrue();
            assertThat(worker.path("enrolled_faces").asInt()).as(worker.toString()).isEqualTo(3);
        }
        assertThat(workers.get(0).path("gallery_version").asLong()).isEqualTo(workers.get(1).path("gallery_version").asLong());
    }

    private static void awaitOnEveryWorker(String what, Predicate<Gallery> done) throws InterruptedException {
        for (ConfigurableApplicationContext worker : service.workers) {
            Gallery gallery = worker.getBean(Gallery.class);
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (!done.test(gallery) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(done.test(gallery)).as("%s on %s within %s", what, worker.getBean(WorkerConfig.class).workerId(), WITHIN)
                    .isTrue();
        }
    }

    private static Reply enroll(String type, String code, String name, String photo) throws Exception {
        Map<String, Object> body = RunningService.studentEnrollment(code, photo);
        body.put("person_type", type);
        body.put("person_name", name);
        return service.http.post("/api/face/enroll", body);
    }

    private static JsonNode recognize(String photo) throws Exception {
        Reply r = service.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64(photo)));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }
}

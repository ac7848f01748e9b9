package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.HttpLoad;
import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.testing.DevData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A live pack switch on the real service: two workers, an in-process broker, H2, real weights and photos. The second
 * pack, {@code dev_2_5g}, is a user manifest in a temporary {@code MODELS_DIR}: SCRFD-2.5GF (InsightFace's
 * {@code buffalo_m} detector) with the dev recognizer, so it finds faces differently and its embeddings are its own.
 *
 * <p>The tests run in order, each from where the previous one left the service: switch under recognition load and
 * commit, a restarted worker starting on the committed pack, switching back without re-embedding, purge, abandon.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackSwitchTest {
    static final String SECOND = "dev_2_5g";
    /** Enrolled from the first photo, recognised from the second. */
    static final String[][] PEOPLE = {
            {"tom_hanks", "01.jpg", "04.jpg"},
            {"scarlett_johansson", "01.jpg", "07.jpg"},
            {"jackie_chan", "01.jpg", "03.jpg"},
            {"angelina_jolie", "01.jpg", "02.jpg"},
            {"george_clooney", "01.jpg", "02.jpg"}};

    @TempDir
    static Path dir;
    static RunningService service;
    static HttpLoad http;

    @BeforeAll
    static void start() throws Exception {
        Path models = dir.resolve("models");
        Files.createDirectories(models.resolve("packs"));
        for (String folder : List.of("buffalo_sc", "buffalo_m", "faceplugin")) {
            Files.createSymbolicLink(models.resolve(folder), DevData.models().resolve(folder).toAbsolutePath());
        }
        Files.writeString(models.resolve("packs/" + SECOND + ".json"), """
                {
                  "name": "dev_2_5g",
                  "description": "Test pack: SCRFD-2.5GF with the dev recognizer",
                  "licence": "Dev/test only (see ../shared/models/PROVENANCE.md)",
                  "detector": {
                    "path": "buffalo_m/det_2.5g.onnx",
                    "sha256": "041f73f47371333d1d17a6fee6c8ab4e6aecabefe398ff32cca4e2d5eaee0af9",
                    "size": 3292009,
                    "input": { "size": 0, "mean": 127.5, "std": 128.0, "colour_order": "RGB" }
                  },
                  "recognizer": {
                    "path": "faceplugin/fr_feature.onnx",
                    "sha256": "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581",
                    "size": 4884269,
                    "input": { "size": 112, "mean": 127.0, "std": 128.0, "colour_order": "RGB" }
                  },
                  "embedding_dim": 512,
                  "recommended_threshold": 0.4,
                  "sample_match_threshold": 0.34,
                  "archive": null
                }
                """);
        service = new RunningService(dir, 2, Map.of("MODELS_DIR", models.toString()));
        http = service.http;
        for (String[] p : PEOPLE) {
            enroll(p[0], p[1]);
        }
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void switchesBothWorkersToTheSecondPackUnderLoadWithoutAFailedRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
        AtomicInteger served = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int offset = c;
            clients.add(Thread.ofPlatform().start(() -> {
                for (int i = offset; running.get(); i++) {
                    String[] p = PEOPLE[i % PEOPLE.length];
                    try {
                        Reply r = recognize(p[0] + "/" + p[2]);
                        String code = r.body().path("match").path("person_code").asString("");
                        if (r.status() != 200 || !code.equals(code(p[0]))) {
                            failures.add(p[0] + ": HTTP " + r.status() + " " + r.body());
                        }
                        answeredBy.computeIfAbsent(r.worker(), w -> new AtomicInteger()).incrementAndGet();
                        served.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(p[0] + ": " + e);
                    }
                }
            }));
        }
        try {
            Reply switched = http.post("/api/admin/model", Map.of("pack", SECOND));
            assertThat(switched.status()).as(switched.body().toString()).isEqualTo(200);
            assertThat(switched.body().path("active_pack").asString()).isEqualTo("dev");
            assertThat(switched.body().path("candidate_pack").asString()).isEqualTo(SECOND);

            // An enrollment during the switch is embedded with both packs.
            enroll("serena_williams", "01.jpg");
            JsonNode done = awaitModel(s -> s.path("job").asString("").startsWith("completed"), "the embedding job to complete");
            assertThat(done.path("candidate_covered").asLong()).isEqualTo(done.path("samples").asLong()).isEqualTo(PEOPLE.length + 1);
            awaitModel(s -> everyWorker(s, "candidate_pack", SECOND) && everyWorker(s, "candidate_state", "loaded"),
                    "both workers holding the candidate");

            Reply committed = http.post("/api/admin/model/commit", Map.of());
            assertThat(committed.status()).as(committed.body().toString()).isEqualTo(200);
            assertThat(committed.body().path("active_pack").asString()).isEqualTo(SECOND);
            assertThat(committed.body().path("candidate_pack").isNull()).isTrue();
            awaitModel(s -> everyWorker(s, "active_pack", SECOND), "both workers on " + SECOND);
            Thread.sleep(1_000); // recognitions on the new pack, on both workers
        } finally {
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
        }
        assertThat(failures).as("failed or wrong recognitions during the switch").isEmpty();
        assertThat(served.get()).isGreaterThan(10);
        assertThat(answeredBy.keySet()).as("workers that answered").containsExactlyInAnyOrder("worker-1", "worker-2");
        assertThat(http.get("/api/health").body().path("model_pack").asString()).isEqualTo(SECOND);
        assertThat(recognize("serena_williams/02.jpg").body().path("match").path("person_code").asString())
                .as("the person enrolled during the switch, on the new pack").isEqualTo(code("serena_williams"));
    }

    @Test
    @Order(2)
    void aWorkerStartedAfterTheCommitServesWithTheCommittedPack() throws Exception {
        service.startWorker("worker-3");
        JsonNode s = awaitModel(m -> hasWorker(m, "worker-3"), "worker-3's heartbeat");
        for (JsonNode w : s.path("workers")) {
            if (w.path("worker_id").asString().equals("worker-3")) {
                assertThat(w.path("active_pack").asString()).as("INSIGHTFACE_MODEL is dev; the database says " + SECOND)
                        .isEqualTo(SECOND);
            }
        }
    }

    @Test
    @Order(3)
    void switchingBackNeedsNoReEmbeddingWhileTheOldDescriptorsAreKept() throws Exception {
        Reply switched = http.post("/api/admin/model", Map.of("pack", "dev"));
        assertThat(switched.status()).as(switched.body().toString()).isEqualTo(200);
        JsonNode done = awaitModel(s -> s.path("job").asString("").startsWith("completed"), "the job back to dev");
        assertThat(done.path("candidate_covered").asLong()).isEqualTo(PEOPLE.length + 1);
        awaitModel(s -> everyWorker(s, "candidate_state", "loaded"), "every worker holding dev");
        assertThat(http.post("/api/admin/model/commit", Map.of()).status()).isEqualTo(200);
        awaitModel(s -> everyWorker(s, "active_pack", "dev"), "every worker back on dev");
        for (String[] p : PEOPLE) {
            assertThat(recognize(p[0] + "/" + p[2]).body().path("match").path("person_code").asString()).isEqualTo(code(p[0]));
        }
    }

    @Test
    @Order(4)
    void purgeThenAbandonLeaveOnlyTheActivePacksDescriptors() throws Exception {
        Reply purged = http.send("DELETE", "/api/admin/model/packs/" + SECOND, Map.of());
        assertThat(purged.status()).as(purged.body().toString()).isEqualTo(200);
        assertThat(sideRows(SECOND)).isZero();
        assertThat(http.send("DELETE", "/api/admin/model/packs/dev", Map.of()).body().path("error_code").asString())
                .as("the active pack cannot be purged").isEqualTo("PACK_SWITCH_REFUSED");

        assertThat(http.post("/api/admin/model", Map.of("pack", SECOND)).status()).isEqualTo(200);
        awaitModel(s -> s.path("job").asString("").startsWith("completed"), "the embedding job to complete");
        assertThat(sideRows(SECOND)).as("purged, so embedded again").isEqualTo(PEOPLE.length + 1);

        Reply abandoned = http.send("DELETE", "/api/admin/model/candidate", Map.of());
        assertThat(abandoned.status()).as(abandoned.body().toString()).isEqualTo(200);
        assertThat(abandoned.body().path("candidate_pack").isNull()).isTrue();
        assertThat(sideRows(SECOND)).as("what the abandoned candidate wrote").isZero();
        awaitModel(s -> everyWorkerWithout(s, "candidate_pack"), "every worker without a candidate");
        assertThat(http.post("/api/admin/model/commit", Map.of()).body().path("error_code").asString())
                .isEqualTo("PACK_SWITCH_REFUSED");
        for (String[] p : PEOPLE) {
            assertThat(recognize(p[0] + "/" + p[2]).body().path("match").path("person_code").asString()).isEqualTo(code(p[0]));
        }
    }

    @Test
    @Order(5)
    void inShadowModeEveryRecognitionIsComparedOnTheCandidateAfterItsReply() throws Exception {
        Reply switched = http.post("/api/admin/model", Map.of("pack", SECOND, "mode", "shadow"));
        assertThat(switched.status()).as(switched.body().toString()).isEqualTo(200);
        assertThat(switched.body().path("mode").asString()).isEqualTo("shadow");
        awaitModel(s -> everyWorker(s, "candidate_state", "loaded") && s.path("job").asString("").startsWith("completed"),
                "every worker holding the shadow candidate, and its job completed");
        Thread.sleep(1_100); // each worker reads the job's state at most once a second
        long logRowsBefore = countRows("FaceRecognitionLogs");

        int served = 0;
        for (int round = 0; round < 2; round++) {
            for (String[] p : PEOPLE) {
                Reply r = recognize(p[0] + "/" + p[2]);
                assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
                assertThat(r.body().path("match").path("person_code").asString()).isEqualTo(code(p[0]));
                served++;
            }
        }
        int expected = served;
        JsonNode comparison = awaitComparison(c -> c.path("recognitions").asLong() == expected);

        assertThat(comparison.path("candidate_pack").asString()).isEqualTo(SECOND);
        assertThat(comparison.path("agreements").asLong() + comparison.path("disagreements").asLong()).isEqualTo(served);
        assertThat(comparison.path("disagreement_request_ids").size()).isEqualTo(comparison.path("disagreements").asInt());
        assertThat(comparison.path("active_p50_ms").asDouble()).isPositive();
        assertThat(comparison.path("candidate_p50_ms").asDouble()).isPositive();
        for (String pack : List.of("active", "candidate")) {
            long total = 0;
            for (JsonNode band : comparison.path("scores").path(pack)) {
                total += band.asLong();
            }
            assertThat(total).as(pack + " scores and no-match count").isEqualTo(served);
        }
        assertThat(countRows("FaceRecognitionLogs") - logRowsBefore)
                .as("one FaceRecognitionLogs row per recognition; the shadow events go to RollcallShadowOutcomes").isEqualTo(served);
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                service.management.resolve("/actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("rollcall_shadow_recognitions_total", "rollcall_shadow_recognition_seconds_bucket");

        assertThat(http.send("DELETE", "/api/admin/model/candidate", Map.of()).status()).isEqualTo(200);
        assertThat(countRows("RollcallShadowOutcomes")).as("the abandoned run's comparison").isZero();
        assertThat(http.get("/api/admin/model/comparison").body().path("error_code").asString()).isEqualTo("PACK_SWITCH_REFUSED");
    }

    private static long countRows(String table) {
        DatabaseAccess db = service.workers.getFirst().getBean(DatabaseAccess.class);
        return db.jdbc().sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    /** Shadow outcomes reach the comparison through the log topic and its writer, about a second later. */
    private static JsonNode awaitComparison(java.util.function.Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Reply r = http.get("/api/admin/model/comparison");
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            last = r.body();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for the comparison; last " + last);
    }

    private static long sideRows(String pack) {
        DatabaseAccess db = service.workers.getFirst().getBean(DatabaseAccess.class);
        return db.jdbc().sql("SELECT COUNT(*) FROM RollcallPackDescriptors WHERE ModelPack = ?").param(pack)
                .query(Long.class).single();
    }

    private static void enroll(String person, String photo) throws Exception {
        Reply r = http.post("/api/face/enroll", RunningService.studentEnrollment(code(person), person + "/" + photo));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    /** Person codes are at most 10 characters; these people's first ten differ. */
    private static String code(String person) {
        return person.substring(0, Math.min(10, person.length()));
    }

    private static Reply recognize(String photo) throws Exception {
        return http.post("/api/face/recognize", HttpLoad.recognizeBody(DevData.bytes(photo)));
    }

    private static boolean everyWorker(JsonNode status, String field, String value) {
        JsonNode workers = status.path("workers");
        if (workers.isEmpty()) {
            return false;
        }
        for (JsonNode w : workers) {
            if (!w.path(field).asString("").equals(value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean everyWorkerWithout(JsonNode status, String field) {
        for (JsonNode w : status.path("workers")) {
            if (!w.path(field).isNull() && !w.path(field).isMissingNode()) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasWorker(JsonNode status, String id) {
        for (JsonNode w : status.path("workers")) {
            if (w.path("worker_id").asString().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Polls {@code GET /api/admin/model} until {@code condition} holds; workers report every 10 s. */
    private static JsonNode awaitModel(java.util.function.Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Reply r = http.get("/api/admin/model");
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            last = r.body();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + what + "; last status " + last);
    }
}

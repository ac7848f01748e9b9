package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.engine.FaceAnalysis;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryIndex;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.gallery.SearchOptions;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.storage.Database;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.StoreSettings;
import io.rollcall.testing.DevData;
import io.rollcall.testing.LegacySchool;
import io.rollcall.worker.WorkerConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Taking over from the old system through the real service: an H2 school database as the old system leaves it
 * ({@link LegacySchool#standardClass}), two workers, {@code POST /api/admin/migration} followed to its report, the
 * migrated people recognised from their other photos exactly as {@code ./rollcall eval}'s way of recognising
 * ({@link io.rollcall.eval.Evaluator}: primary-face embeddings, exact search, top person at the threshold) says they
 * should be, and a rollback after which nobody is recognised.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationEndToEndTest {
    private static final float THRESHOLD = 0.4f;
    /** Photos the migration never saw: further photos of the six it migrates, and two people it does not know. */
    private static final Map<String, String> PROBES = probes();

    @TempDir
    static Path dir;
    static RunningService service;
    static String batch;

    @BeforeAll
    static void start() {
        String url = "jdbc:h2:file:" + dir.resolve("db/rollcall").toAbsolutePath();
        try (HikariDataSource school = Database.createDataSource(new StoreSettings(url, null, null, 2), true)) {
            LegacySchool.standardClass(school, "h2");
        }
        service = new RunningService(dir, 2, Map.of());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void migratesThroughTheServiceAndReportsOnTheJob() throws Exception {
        Reply accepted = service.http.post("/api/admin/migration", Map.of());
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
        batch = accepted.body().path("batch_id").asString();
        assertThat(accepted.body().path("job_id").asString()).isEqualTo(batch);

        JsonNode status = awaitStatus(accepted.body().path("status_url").asString(), s -> s.path("status").asString().equals("completed"));

        assertThat(status.path("kind").asString()).isEqualTo("migration");
        assertThat(status.path("batch_id").asString()).isEqualTo(batch);
        assertThat(status.path("total").asInt()).isEqualTo(15);
        assertThat(status.path("done").asInt()).isEqualTo(15);
        assertThat(status.path("failed").asInt()).isEqualTo(9);
        JsonNode report = status.path("report");
        assertThat(report.path("persons_total").asInt()).isEqualTo(15);
        assertThat(report.path("migrated").asInt()).isEqualTo(6);
        assertThat(report.path("samples_created").asInt()).isEqualTo(9);
        assertThat(report.path("coverage").asDouble()).isEqualTo(0.4);
        assertThat(report.path("skipped").path("duplicate").asInt()).isEqualTo(1);
        assertThat(report.path("skipped").path("sample_mismatch").asInt()).isEqualTo(1);
        assertThat(report.path("validation").path("rank1").asDouble()).isEqualTo(1.0);

        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                service.base.resolve(status.path("missing_csv_url").asString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body().lines().toList()).hasSize(10).contains("teacher,T102,Tom Again,duplicate");

        // The worker that ran the job published every new sample: both galleries have all nine.
        for (ConfigurableApplicationContext worker : service.workers) {
            awaitGallerySize(worker, 9);
        }
    }

    @Test
    @Order(2)
    void recognisesTheMigratedPeopleFromOtherPhotosExactlyAsEvaluatorStyleRecognitionDoes() throws Exception {
        Map<String, String> expected = evaluatorStyleRecognition();
        Map<String, String> actual = new LinkedHashMap<>();
        for (String probe : PROBES.keySet()) {
            actual.put(probe, recognizedCode(probe));
        }

        assertThat(actual).isEqualTo(expected);
        assertThat(expected).as("every probe of a migrated person is that person; strangers are nobody").isEqualTo(PROBES);
    }

    @Test
    @Order(3)
    void aRollbackThroughTheServiceLeavesNobodyRecognised() throws Exception {
        Reply accepted = service.http.post("/api/admin/migration/" + batch + "/rollback", Map.of());
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);

        JsonNode status = awaitStatus(accepted.body().path("status_url").asString(), s -> s.path("status").asString().equals("completed"));

        assertThat(status.path("kind").asString()).isEqualTo("rollback");
        assertThat(status.path("report").path("samples_deleted").asInt()).isEqualTo(9);
        for (ConfigurableApplicationContext worker : service.workers) {
            awaitGallerySize(worker, 0);
        }
        for (String probe : PROBES.keySet()) {
            assertThat(recognizedCode(probe)).as(probe).isNull();
        }
        DatabaseAccess db = service.workers.getFirst().getBean(DatabaseAccess.class);
        assertThat(db.jdbc().sql("SELECT COUNT(*) FROM FaceData").query(Integer.class).single())
                .as("the old system's fourteen rows, and nothing else").isEqualTo(14);

        Reply unknown = service.http.post("/api/admin/migration/" + batch.replace('-', '0').substring(0, 8) + "/rollback", Map.of());
        JsonNode aborted = awaitStatus(unknown.body().path("status_url").asString(), s -> s.path("status").asString().equals("aborted"));
        assertThat(aborted.path("last_error").path("error_code").asString()).isEqualTo("NOT_FOUND");
    }

    /**
     * The reference: what {@code eval} would answer for each probe with the migrated photos enrolled. The photos are
     * read back from the rows the migration created, embedded as {@code Evaluator} embeds (the primary face), searched
     * exactly, and the top person taken at the threshold.
     */
    private static Map<String, String> evaluatorStyleRecognition() {
        FaceEngine engine = DevData.engine();
        GalleryIndex gallery = new GalleryIndex(engine.pack().embeddingDim());
        DatabaseAccess db = service.workers.getFirst().getBean(DatabaseAccess.class);
        record Row(long id, PersonRef person, byte[] image) {
        }
        List<Row> rows = db.jdbc().sql("SELECT f.Id, f.PersonType, f.PersonCode, f.ImageData FROM FaceData f"
                        + " JOIN RollcallMigratedSamples s ON s.FaceDataId = f.Id ORDER BY f.Id")
                .query((rs, i) -> new Row(rs.getLong(1), new PersonRef(PersonType.fromWireName(rs.getString(2)), rs.getString(3)),
                        rs.getBytes(4)))
                .list();
        assertThat(rows).hasSize(9);
        for (Row row : rows) {
            gallery.add(row.id(), row.person(), primaryEmbedding(engine, row.image()));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String probe : PROBES.keySet()) {
            List<GalleryMatch> best = gallery.search(primaryEmbedding(engine, DevData.bytes(probe)), new SearchOptions(1, THRESHOLD, null));
            expected.put(probe, best.isEmpty() ? null : best.getFirst().person().code());
        }
        return expected;
    }

    private static float[] primaryEmbedding(FaceEngine engine, byte[] photo) {
        try (DecodedImage image = DevData.decoder().decode(photo)) {
            FaceAnalysis analysis = engine.analyze(image, FaceEngine.Embed.PRIMARY);
            return analysis.faces().getFirst().embedding();
        }
    }

    private static String recognizedCode(String photo) throws Exception {
        Reply r = service.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64(photo)));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        JsonNode match = r.body().path("match");
        return match.isObject() ? match.path("person_code").asString() : null;
    }

    private static JsonNode awaitStatus(String statusUrl, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Reply r = service.http.get(statusUrl);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            last = r.body();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("migration job did not get there in time; last status " + last);
    }

    private static void awaitGallerySize(ConfigurableApplicationContext worker, int size) throws InterruptedException {
        Gallery gallery = worker.getBean(Gallery.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gallery.size() != size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(gallery.size()).as("gallery of %s", worker.getBean(WorkerConfig.class).workerId()).isEqualTo(size);
    }

    /** Probe photo to the code it should be recognised as (null: nobody). */
    private static Map<String, String> probes() {
        Map<String, String> probes = new LinkedHashMap<>();
        List<String[]> people = new ArrayList<>();
        people.add(new String[] {"S101", "kofi_annan/03.jpg", "kofi_annan/04.jpg", "kofi_annan/05.jpg"});
        people.add(new String[] {"S102", "laura_bush/03.jpg", "laura_bush/04.jpg", "laura_bush/05.jpg"});
        people.add(new String[] {"S103", "hugo_chavez/02.jpg", "hugo_chavez/03.jpg", "hugo_chavez/04.jpg", "hugo_chavez/05.jpg"});
        people.add(new String[] {"S105", "vladimir_putin/02.jpg", "vladimir_putin/03.jpg", "vladimir_putin/04.jpg"});
        people.add(new String[] {"S107", "halle_berry/02.jpg", "halle_berry/03.jpg", "halle_berry/04.jpg"});
        people.add(new String[] {"T101", "tom_hanks/03.jpg", "tom_hanks/04.jpg", "tom_hanks/05.jpg", "tom_hanks/06.png"});
        for (String[] p : people) {
            for (int i = 1; i < p.length; i++) {
                probes.put(p[i], p[0]);
            }
        }
        probes.put("jackie_chan/02.jpg", null);
        probes.put("serena_williams/01.jpg", null);
        return probes;
    }
}

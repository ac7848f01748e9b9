package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rollcall.bench.HttpLoad;
import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaSettings;
import io.rollcall.testing.DevData;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The whole path: HTTP → ingress → Kafka → worker (real engine, H2) → reply topic → HTTP, on real photos. The school
 * is in Asia/Kolkata (UTC+05:30 all year, no daylight saving time), so a time read as UTC would be off by hours.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceEndToEndTest {
    private static final ZoneId SCHOOL = ZoneId.of("Asia/Kolkata");
    private static final String TIME_WITH_SCHOOL_OFFSET = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+05:30";

    @TempDir
    static Path dir;
    static RunningService service;
    static HttpLoad http;
    /** The FaceData ids of the three samples of S010, oldest first. */
    static final List<Long> markSamples = new ArrayList<>();

    @BeforeAll
    static void start() {
        service = new RunningService(dir, 1, Map.of("SCHOOL_TIMEZONE", SCHOOL.getId()));
        http = service.http;
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void healthReportsTheLoadedModelAndAnEmptyGallery() throws Exception {
        Reply r = http.get("/api/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("healthy");
        assertThat(r.body().path("model_loaded").asBoolean()).isTrue();
        assertThat(r.body().path("enrolled_faces").asInt()).isZero();
        assertThat(r.body().path("similarity_threshold").asDouble()).isEqualTo(0.4);
    }

    @Test
    @Order(2)
    void enrollsStudentsAndATeacher() throws Exception {
        Reply r = enroll("student", "S001", "Angelina Jolie", "angelina_jolie/01.jpg");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().path("success").asBoolean()).isTrue();
        assertThat(r.body().path("message").asText()).isEqualTo("Face enrolled successfully");
        assertThat(r.body().path("person_code").asText()).isEqualTo("S001");
        assertThat(r.body().path("embedding_id").asLong()).isPositive();
        assertThat(enroll("student", "S002", "Kit Harington", "kit_harington/01.jpg").status()).isEqualTo(200);
        assertThat(enroll("teacher", "T001", "Tom Hanks", "tom_hanks/01.jpg").status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void recognisesAnEnrolledStudentFromAnotherPhoto() throws Exception {
        Reply r = http.post("/api/face/recognize", Map.of("image_base64", b64("angelina_jolie/04.jpg")));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().path("success").asBoolean()).isTrue();
        assertThat(r.body().path("match").path("person_code").asText()).isEqualTo("S001");
        assertThat(r.body().path("match").path("person_type").asText()).isEqualTo("student");
        assertThat(r.body().path("match").path("person_name").asText()).isEqualTo("Angelina Jolie");
        assertThat(r.body().path("match").path("similarity_score").asDouble()).isGreaterThan(0.4);
        assertThat(r.body().path("match").path("confidence").asDouble()).isGreaterThan(0.5);
        assertThat(r.body().has("processing_time_ms")).isTrue();
    }

    @Test
    @Order(4)
    void anUnknownFaceIsSuccessWithANullMatch() throws Exception {
        Reply r = http.post("/api/face/recognize", Map.of("image_base64", b64("katy_perry/02.jpg")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("success").asBoolean()).isTrue();
        assertThat(r.body().has("match")).isTrue();
        assertThat(r.body().path("match").isNull()).isTrue();
    }

    @Test
    @Order(5)
    void aPhotoWithoutAFaceIsNoFaceDetected() throws Exception {
        Reply r = http.post("/api/face/recognize", Map.of("image_base64", b64("_noface/01.jpg")));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().path("success").asBoolean()).isFalse();
        assertThat(r.body().path("error_code").asText()).isEqualTo("NO_FACE_DETECTED");
        assertThat(r.body().path("details").path("suggestion").asText()).isNotBlank();
    }

    @Test
    @Order(6)
    void listsEnrolledFacesByType() throws Exception {
        Reply all = http.get("/api/face/list/all");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().path("total_count").asInt()).isEqualTo(3);
        Reply students = http.get("/api/face-descriptors/student");
        assertThat(students.body().path("total_count").asInt()).isEqualTo(2);
        assertThat(students.body().path("faces").get(0).path("has_image").asBoolean()).isTrue();
        assertThat(students.body().path("faces").get(0).path("samples").asInt()).isEqualTo(1);
        String enrolled = students.body().path("faces").get(0).path("enrollment_date").asText();
        assertThat(enrolled).matches(TIME_WITH_SCHOOL_OFFSET);
        assertThat(OffsetDateTime.parse(enrolled).toLocalDateTime()).as("the wall clock the database holds")
                .isEqualTo(createdDate(students.body().path("faces").get(0).path("id").asLong()).withNano(0));
    }

    @Test
    @Order(7)
    void groupPhotoRecognisesEveryEnrolledFace() throws Exception {
        enroll("student", "S003", "Rose Leslie", "rose_leslie/01.jpg");
        Reply r = http.post("/api/face/recognize-group", Map.of("image_base64", b64("_group/03.jpg")));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().path("face_count").asInt()).isEqualTo(2);
        List<String> codes = new java.util.ArrayList<>();
        r.body().path("faces").forEach(f -> codes.add(f.path("match").path("person_code").asText()));
        assertThat(codes).containsExactlyInAnyOrder("S002", "S003");
    }

    @Test
    @Order(7)
    void everyLogLineWrittenForARequestCarriesItsRequestIdAndNeverThePhoto() throws Exception {
        Logger rollcall = (Logger) LoggerFactory.getLogger("io.rollcall");
        Level before = rollcall.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        rollcall.addAppender(captured);
        rollcall.setLevel(Level.DEBUG);
        String photo = b64("angelina_jolie/04.jpg");
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.base.resolve("/api/face/recognize"))
                    .header("Content-Type", "application/json").header("X-Request-Id", "trace-me-7")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"image_base64\": \"" + photo + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        } finally {
            rollcall.setLevel(before);
            rollcall.detachAppender(captured);
        }
        List<ILoggingEvent> handling = captured.list.stream()
                .filter(e -> e.getLoggerName().startsWith("io.rollcall.ingress") || e.getLoggerName().startsWith("io.rollcall.transport"))
                .toList();
        assertThat(handling).extracting(ILoggingEvent::getLoggerName)
                .contains("io.rollcall.ingress.gateway.KafkaFaceGateway", "io.rollcall.transport.RequestListener");
        assertThat(handling).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).as(e.getFormattedMessage())
                .containsEntry("request_id", "trace-me-7"));
        assertThat(captured.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(photo.substring(0, 64)));
    }

    @Test
    @Order(8)
    void verifiesTwoPhotos() throws Exception {
        Reply same = http.post("/api/face/verify", Map.of("image1_base64", b64("tom_hanks/02.jpg"), "image2_base64", b64("tom_hanks/03.jpg")));
        assertThat(same.status()).as(same.body().toString()).isEqualTo(200);
        assertThat(same.body().path("same_person").asBoolean()).isTrue();
        Reply different = http.post("/api/face/verify", Map.of("image1_base64", b64("tom_hanks/02.jpg"), "image2_base64", b64("kofi_annan/01.jpg")));
        assertThat(different.body().path("same_person").asBoolean()).isFalse();
    }

    @Test
    @Order(9)
    void theSamePhotoTwiceIsADuplicateEnrollment() throws Exception {
        Reply r = enroll("student", "S001", "Angelina Jolie", "angelina_jolie/01.jpg");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().path("error_code").asText()).isEqualTo("DUPLICATE_ENROLLMENT");
    }

    @Test
    @Order(9)
    void aStrangersPhotoUnderAnEnrolledCodeIsASampleMismatchUnlessAllowed() throws Exception {
        Reply r = enroll("student", "S001", "Angelina Jolie", "kofi_annan/02.jpg");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(409);
        assertThat(r.body().path("error_code").asText()).isEqualTo("SAMPLE_MISMATCH");
        assertThat(r.body().path("details").path("similarity_score").asDouble()).isLessThan(0.34);
        assertThat(r.body().path("details").path("threshold").asDouble()).isEqualTo(0.34);
        assertThat(r.body().path("message").asText()).startsWith("This face does not look like student:S001's enrolled photos");
        Reply recognized = http.post("/api/face/recognize", Map.of("image_base64", b64("kofi_annan/03.jpg")));
        assertThat(recognized.body().path("match").isNull()).as("the refused photo was not enrolled").isTrue();

        assertThat(enroll("teacher", "T050", "George Clooney", "george_clooney/01.jpg").status()).isEqualTo(200);
        Map<String, Object> allowed = RunningService.studentEnrollment("T050", "kofi_annan/02.jpg");
        allowed.put("person_type", "teacher");
        allowed.put("person_name", "George Clooney");
        allowed.put("allow_mismatch", true);
        Reply overridden = http.post("/api/face/enroll", allowed);
        assertThat(overridden.status()).as(overridden.body().toString()).isEqualTo(200);
        assertThat(overridden.body().path("samples").asInt()).isEqualTo(2);
    }

    @Test
    @Order(9)
    void aDifferentNameRenamesThePersonEverywhereAndTheAnswerSaysSo() throws Exception {
        Reply r = enroll("student", "S001", "Angelina Jolie-Pitt", "angelina_jolie/02.jpg");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().path("person_name").asText()).isEqualTo("Angelina Jolie-Pitt");
        assertThat(r.body().path("previous_name").asText()).isEqualTo("Angelina Jolie");
        assertThat(r.body().path("message").asText()).isEqualTo("Face enrolled successfully; person renamed from 'Angelina Jolie'");
        assertThat(r.body().path("samples").asInt()).isEqualTo(2);

        Reply recognized = http.post("/api/face/recognize", Map.of("image_base64", b64("angelina_jolie/05.jpg")));
        assertThat(recognized.body().path("match").path("person_name").asText()).isEqualTo("Angelina Jolie-Pitt");
        Reply listed = http.get("/api/face/list/student");
        assertThat(listed.body().path("faces").findValuesAsString("person_name")).contains("Angelina Jolie-Pitt")
                .doesNotContain("Angelina Jolie");
        Reply same = enroll("student", "S001", "Angelina Jolie-Pitt", "angelina_jolie/03.jpg");
        assertThat(same.body().has("previous_name")).as("no rename, no previous_name").isFalse();
    }

    @Test
    @Order(10)
    void qualityCheckReportsTheRequirementsFields() throws Exception {
        Reply r = http.post("/api/face/quality-check", Map.of("image_base64", b64("angelina_jolie/04.jpg")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("quality").path("face_detected").asBoolean()).isTrue();
        assertThat(r.body().path("quality").path("face_size").asText()).isEqualTo("adequate");
        assertThat(r.body().path("quality").path("recommendation").asText()).isEqualTo("suitable_for_enrollment");
    }

    @Test
    @Order(11)
    void deletingAPersonRemovesThemFromRecognition() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("person_type", "student");
        body.put("person_code", "S001");
        Reply deleted = http.send("DELETE", "/api/face/delete", body);
        assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
        assertThat(deleted.body().path("success").asBoolean()).isTrue();
        Reply r = http.post("/api/face/recognize", Map.of("image_base64", b64("angelina_jolie/04.jpg")));
        assertThat(r.body().path("match").isNull()).isTrue();
        Reply again = http.send("DELETE", "/api/face/delete", body);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body().path("error_code").asText()).isEqualTo("PERSON_NOT_FOUND");
    }

    @Test
    @Order(12)
    void prometheusExposesEngineStagesErrorsByCodeConcurrencySlotsGallerySizeConsumerLagAndTheDatabasePool() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(service.management.resolve("/actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        var onTheApiPort = client.send(java.net.http.HttpRequest.newBuilder(service.base.resolve("/actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("http_server_requests_seconds_bucket")
                .contains("rollcall_engine_stage_seconds_bucket{stage=\"detect\"")
                .contains("rollcall_engine_stage_seconds_bucket{stage=\"decode\"")
                .contains("rollcall_worker_requests_seconds_count{command=\"recognize\",outcome=\"ok\"}")
                .contains("rollcall_http_errors_total{code=\"NO_FACE_DETECTED\"}")
                .contains("rollcall_http_concurrency_in_flight")
                .contains("rollcall_http_concurrency_rejected_total{reason=\"queue_full\"}")
                .contains("rollcall_http_inflight_request_bytes")
                .contains("rollcall_gallery_faces")
                .contains("kafka_consumer_fetch_manager_records_lag_max")
                // The worker's real pool; and no pool of Spring Boot's own making in the ingress, which its generic
                // jdbc_connections_* would show (the worker's context keeps those on a registry of its own).
                .contains("hikaricp_connections_active{pool=\"rollcall-db\"}")
                .contains("hikaricp_connections_max{pool=\"rollcall-db\"}")
                .doesNotContain("jdbc_connections");
        assertThat(service.ingress.getBeanNamesForType(javax.sql.DataSource.class)).isEmpty();
        assertThat(onTheApiPort.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(12)
    void theOneProcessIsReadyWhileItsWorkerCanServe() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(service.management.resolve("/actuator/health/readiness")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(io.rollcall.json.Json.MAPPER.readTree(response.body()).at("/components/workers/details/ready_workers").toString())
                .isEqualTo("[\"worker-1\"]");
    }

    @Test
    @Order(13)
    void attendanceIsReportedAtTheInstantItWasRecorded() throws Exception {
        long session = insertSession(LocalDateTime.now(SCHOOL).minusMinutes(1));

        Reply r = http.post("/api/face/recognize", Map.of("image_base64", b64("kit_harington/05.jpg"), "session_id", session));

        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().path("match").path("person_code").asText()).isEqualTo("S002");
        String recordedAt = r.body().path("attendance").path("recorded_at").asText();
        assertThat(r.body().path("attendance").path("status").asText()).isEqualTo("Present");
        assertThat(recordedAt).matches(TIME_WITH_SCHOOL_OFFSET);
        assertThat(Duration.between(OffsetDateTime.parse(recordedAt).toInstant(), Instant.now()))
                .isBetween(Duration.ZERO, Duration.ofMinutes(1));
    }

    @Test
    @Order(14)
    void listsOneEntryPerPersonAtTheirOldestSampleAndEverySampleWhenAsked() throws Exception {
        for (String photo : List.of("mark_zuckerberg/01.jpg", "mark_zuckerberg/02.jpg", "mark_zuckerberg/03.jpg")) {
            Reply r = enroll("student", "S010", "Mark Zuckerberg", photo);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            markSamples.add(r.body().path("embedding_id").asLong());
        }

        Reply persons = http.get("/api/face/list/student");
        Reply samples = http.get("/api/face/list/student?per_sample=true");

        assertThat(persons.body().path("total_count").asInt()).isEqualTo(3);
        assertThat(entries(persons, "S010")).singleElement().satisfies(mark -> {
            assertThat(mark.path("id").asLong()).isEqualTo(markSamples.getFirst());
            assertThat(mark.path("samples").asInt()).isEqualTo(3);
            assertThat(mark.path("has_image").asBoolean()).isTrue();
            assertThat(mark.path("person_name").asText()).isEqualTo("Mark Zuckerberg");
        });
        assertThat(samples.body().path("total_count").asInt()).isEqualTo(5);
        assertThat(entries(samples, "S010")).extracting(f -> f.path("id").asLong()).containsExactlyElementsOf(markSamples);
        assertThat(entries(samples, "S010")).extracting(f -> f.path("samples").asInt()).containsOnly(1);
        Reply secondPage = http.get("/api/face/list/all?page=2&page_size=2");
        assertThat(secondPage.body().path("total_count").asInt()).as("S002, S003, T001, T050, S010").isEqualTo(5);
        assertThat(secondPage.body().path("faces")).hasSize(2);
    }

    @Test
    @Order(15)
    void aDatetimeStoredInTheSchoolsZoneIsListedAsTheInstantItMeans() throws Exception {
        try (Connection db = database();
             PreparedStatement update = db.prepareStatement("UPDATE FaceData SET CreatedDate = ? WHERE Id = ?")) {
            update.setObject(1, LocalDateTime.of(2026, 3, 2, 8, 3, 0));
            update.setLong(2, markSamples.getFirst());
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        String listed = entries(http.get("/api/face/list/student"), "S010").getFirst().path("enrollment_date").asText();

        assertThat(listed).isEqualTo("2026-03-02T08:03:00+05:30");
        assertThat(OffsetDateTime.parse(listed).toInstant()).isEqualTo(Instant.parse("2026-03-02T02:33:00Z"));
    }

    @Test
    @Order(16)
    void deletingOneSampleLeavesThePersonTheOthers() throws Exception {
        Reply deleted = http.send("DELETE", "/api/face/sample/" + markSamples.get(1), Map.of());
        Reply again = http.send("DELETE", "/api/face/sample/" + markSamples.get(1), Map.of());

        assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
        assertThat(deleted.body().path("message").asText()).isEqualTo("Face sample deleted successfully");
        assertThat(deleted.body().path("deleted_samples").asInt()).isEqualTo(1);
        assertThat(entries(http.get("/api/face/list/student"), "S010").getFirst().path("samples").asInt()).isEqualTo(2);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body().path("error_code").asText()).isEqualTo("PERSON_NOT_FOUND");
    }

    @Test
    @Order(17)
    void theNodeJsAdminPathDeletesThePersonOfASampleAsDeletingThePersonDoes() throws Exception {
        Reply deleted = http.send("DELETE", "/api/admin/face/" + markSamples.getLast(), Map.of());

        assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
        assertThat(deleted.body().path("message").asText()).isEqualTo("Face enrollment deleted successfully");
        assertThat(deleted.body().path("deleted_samples").asInt()).isEqualTo(2);
        assertThat(entries(http.get("/api/face/list/all?per_sample=true"), "S010")).isEmpty();
        Reply r = http.post("/api/face/recognize", Map.of("image_base64", b64("mark_zuckerberg/04.jpg")));
        assertThat(r.body().path("match").isNull()).as(r.body().toString()).isTrue();
        Reply again = http.send("DELETE", "/api/admin/face/" + markSamples.getFirst(), Map.of());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body().path("error_code").asText()).isEqualTo("PERSON_NOT_FOUND");
    }

    private static List<JsonNode> entries(Reply list, String code) {
        List<JsonNode> out = new ArrayList<>();
        list.body().path("faces").forEach(f -> {
            if (f.path("person_code").asText().equals(code)) {
                out.add(f);
            }
        });
        return out;
    }

    /** The service's own H2 database, opened again in this JVM. */
    private static Connection database() throws Exception {
        return DriverManager.getConnection(service.env.get("DATABASE_URL"));
    }

    /**
     * Each answered request's offset is committed at once, not batched with later ones. Batched commits (once a second
     * per listener, measured in docs/benchmarks.md: ~0.3 ms of CPU per request less) would widen the window in which a
     * killed worker's answered requests run again on another, and an enrollment run again after its sample was deleted
     * by id (a request on another partition) would bring the deleted face back. That variant commits an idle
     * listener's last request only after its next empty poll, 5 s later, and fails here.
     */
    @Test
    @Order(18)
    void eachAnsweredRequestIsCommittedAtOnceNotBatchedWithLaterOnes() throws Exception {
        Reply r = http.post("/api/face/recognize", Map.of("image_base64", b64("emilia_clarke/02.jpg")));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);

        KafkaSettings kafka = service.kafka();
        KafkaClients clients = kafka.clients();
        try (Admin admin = Admin.create(clients.admin())) {
            String topic = kafka.topics().faceRequests();
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> used = new LinkedHashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> used.put(tp, info.offset()));
            used.values().removeIf(end -> end == 0);
            assertThat(used).as("partitions that received requests").isNotEmpty();

            Map<TopicPartition, Long> committed = Map.of();
            Instant deadline = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(deadline)) {
                committed = new LinkedHashMap<>();
                for (var e : admin.listConsumerGroupOffsets(clients.groupId("rollcall-workers")).partitionsToOffsetAndMetadata().get().entrySet()) {
                    if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                        committed.put(e.getKey(), e.getValue().offset());
                    }
                }
                if (committed.entrySet().containsAll(used.entrySet())) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(committed).as("committed offsets against the ends").containsAllEntriesOf(used);
        }
    }

    private static LocalDateTime createdDate(long faceDataId) throws Exception {
        try (Connection db = database();
             PreparedStatement select = db.prepareStatement("SELECT CreatedDate FROM FaceData WHERE Id = ?")) {
            select.setLong(1, faceDataId);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getObject(1, LocalDateTime.class);
            }
        }
    }

    private static long insertSession(LocalDateTime start) throws Exception {
        try (Connection db = database();
             PreparedStatement insert = db.prepareStatement("INSERT INTO Sessions (Name, StartTime) VALUES (?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, "Form 7B, first period");
            insert.setObject(2, start);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static Reply enroll(String type, String code, String name, String photo) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("person_type", type);
        body.put("person_code", code);
        body.put("person_name", name);
        body.put("image_base64", "data:image/jpeg;base64," + b64(photo));
        body.put("original_name", photo.replace('/', '_'));
        return http.post("/api/face/enroll", body);
    }

    static String b64(String photo) {
        return Base64.getEncoder().encodeToString(DevData.bytes(photo));
    }
}

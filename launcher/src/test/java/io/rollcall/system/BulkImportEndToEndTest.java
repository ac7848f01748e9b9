package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.cli.RollcallCli;
import io.rollcall.gallery.Gallery;
import io.rollcall.worker.WorkerConfig;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.testing.DevData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * CSV bulk import through the real service: HTTP → ingress → bulk-jobs topic → worker (real engine, H2, photos
 * read from the import folder) → progress topic → HTTP, with two workers sharing the job topic. The import folder
 * is the default one, {@code DATA_DIR/import}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BulkImportEndToEndTest {
    private static final String HEADER = "person_type,person_code,person_name,image_path\n";
    /** Four good rows, then a photo without a face, a missing file, a face already enrolled as S101, a link out. */
    private static final String CLASS_CSV = HEADER + """
            student,S101,Kofi Annan,student/S101_Kofi_Annan/01.jpg
            student,S102,Laura Bush,student/S102_Laura_Bush/01.jpg
            student,S102,Laura Bush,student/S102_Laura_Bush/02.jpg
            teacher,T101,Hugo Chavez,teacher/T101_Hugo_Chavez/01.jpg
            student,S103,Nobody,student/S103_Nobody/01.jpg
            student,S104,Missing Photo,student/S104_Missing/01.jpg
            student,S105,Kofi Again,student/S101_Kofi_Annan/01.jpg
            student,S106,Link Out,student/leak.jpg
            """;

    @TempDir
    static Path dir;
    static RunningService service;
    static Path importDir;
    static String classJobId;
    static JsonNode classJobStatus;

    @BeforeAll
    static void start() throws IOException {
        importDir = dir.resolve("import");
        photo("kofi_annan/01.jpg", "student/S101_Kofi_Annan/01.jpg");
        photo("laura_bush/01.jpg", "student/S102_Laura_Bush/01.jpg");
        photo("laura_bush/02.jpg", "student/S102_Laura_Bush/02.jpg");
        photo("hugo_chavez/01.jpg", "teacher/T101_Hugo_Chavez/01.jpg");
        photo("_noface/01.jpg", "student/S103_Nobody/01.jpg");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.copy(DevData.photo("tom_hanks/01.jpg"), outside.resolve("secret.jpg"));
        Files.createSymbolicLink(importDir.resolve("student/leak.jpg"), outside.resolve("secret.jpg"));
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
    void importsTheGoodRowsAndReportsEveryBadRowWithItsCodeAndLine() throws Exception {
        Reply accepted = service.http.post("/api/face/bulk-import", Map.of("csv", CLASS_CSV, "source_name", "class-7b.csv"));
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
        assertThat(accepted.body().path("total").asInt()).isEqualTo(8);
        classJobId = accepted.body().path("job_id").asString();

        classJobStatus = awaitEnd(accepted.body().path("status_url").asString(), null);

        assertThat(classJobStatus.path("status").asString()).isEqualTo("completed");
        assertThat(classJobStatus.path("total").asInt()).isEqualTo(8);
        assertThat(classJobStatus.path("done").asInt()).isEqualTo(8);
        assertThat(classJobStatus.path("failed").asInt()).isEqualTo(4);
        assertThat(classJobStatus.path("successful").asInt()).isEqualTo(4);
        assertThat(classJobStatus.path("source_name").asString()).isEqualTo("class-7b.csv");
        assertThat(failures(classJobStatus)).containsExactly(
                tuple(6, "S103", "NO_FACE_DETECTED"),
                tuple(7, "S104", "VALIDATION_ERROR"),
                tuple(8, "S105", "DUPLICATE_ENROLLMENT"),
                tuple(9, "S106", "VALIDATION_ERROR"));
        JsonNode failures = classJobStatus.path("failures");
        assertThat(failures.get(1).path("message").asString())
                .isEqualTo("image_path 'student/S104_Missing/01.jpg': no such file in the import folder");
        assertThat(failures.get(2).path("details").path("matched_person_code").asString()).isEqualTo("S101");
        assertThat(failures.get(3).path("message").asString())
                .isEqualTo("image_path 'student/leak.jpg' leads outside the import folder through a symbolic link");
        assertThat(classJobStatus.path("last_error").path("line").asInt()).isEqualTo(9);
    }

    @Test
    @Order(2)
    void theImportedPeopleAreListedAndRecognisedOnEveryWorker() throws Exception {
        Reply all = service.http.get("/api/face/list/all");
        assertThat(all.body().path("total_count").asInt()).isEqualTo(3);
        List<String> listed = new ArrayList<>();
        all.body().path("faces").forEach(f -> listed.add(f.path("person_type").asString() + ":" + f.path("person_code").asString()
                + ":" + f.path("person_name").asString() + ":" + f.path("samples").asInt()));
        assertThat(listed).containsExactly("student:S101:Kofi Annan:1", "student:S102:Laura Bush:2", "teacher:T101:Hugo Chavez:1");
        assertThat(samples()).isEqualTo(4);

        // The enrollments reached both workers' galleries through the gallery-changes topic.
        for (ConfigurableApplicationContext worker : service.workers) {
            awaitGallerySize(worker, 4);
        }
        assertThat(recognize("kofi_annan/02.jpg").path("match").path("person_code").asString()).isEqualTo("S101");
        assertThat(recognize("laura_bush/03.jpg").path("match").path("person_code").asString()).isEqualTo("S102");
        JsonNode teacher = recognize("hugo_chavez/02.jpg").path("match");
        assertThat(teacher.path("person_type").asString()).isEqualTo("teacher");
        assertThat(teacher.path("person_code").asString()).isEqualTo("T101");
    }

    @Test
    @Order(3)
    void pathTraversalRowsAndAMalformedCsvAreRefusedWithNothingQueued() throws Exception {
        Reply traversal = service.http.post("/api/face/bulk-import", Map.of("csv", HEADER + """
                student,S110,Good Row,student/S101_Kofi_Annan/01.jpg
                student,S111,Dot Dot,../outside/secret.jpg
                student,S112,Absolute,%s
                """.formatted(dir.resolve("outside/secret.jpg"))));
        assertThat(traversal.status()).isEqualTo(400);
        assertThat(traversal.body().path("error_code").asString()).isEqualTo("VALIDATION_ERROR");
        List<Integer> lines = new ArrayList<>();
        traversal.body().path("details").path("errors").forEach(e -> lines.add(e.path("line").asInt()));
        assertThat(lines).containsExactly(3, 4);

        Reply malformed = service.http.post("/api/face/bulk-import", Map.of("csv", HEADER + "student,S113,\"Unclosed,a/1.jpg\n"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("message").asString()).startsWith("The CSV is malformed");

        Path csv = dir.resolve("traversal.csv");
        Files.writeString(csv, HEADER + "student,S114,Eve,student/../../outside/secret.jpg\n");
        StringWriter out = new StringWriter();
        assertThat(cli(out, "import", csv.toString(), "--url", url())).isEqualTo(2);
        assertThat(out.toString()).contains("import: refused (HTTP 400 VALIDATION_ERROR): 1 row is invalid (first on line 2)")
                .contains("  line 2, image_path: image_path must not contain '..' segments");

        // Not even the valid first row was enrolled: a refused CSV queues no job at all.
        assertThat(jobKeys()).containsExactly(classJobId);
        assertThat(samples()).isEqualTo(4);
    }

    @Test
    @Order(4)
    void aRedeliveredJobEndsWithTheSameCountsAndEnrollsNothingTwice() throws Exception {
        String before = classJobStatus.path("updated_at").asString();
        ConsumerRecord<String, byte[]> original = jobRecords().stream()
                .filter(r -> r.key().equals(classJobId)).findFirst().orElseThrow();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka().producer(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(original.topic(), original.key(), original.value())).get();
        }

        JsonNode again = awaitEnd("/api/face/bulk-import/" + classJobId, before);

        assertThat(again.path("status").asString()).isEqualTo("completed");
        assertThat(again.path("done").asInt()).isEqualTo(8);
        assertThat(again.path("failed").asInt()).isEqualTo(4);
        assertThat(again.path("successful").asInt()).isEqualTo(4);
        assertThat(failures(again)).isEqualTo(failures(classJobStatus));
        assertThat(samples()).isEqualTo(4);
        for (ConfigurableApplicationContext worker : service.workers) {
            assertThat(worker.getBean(Gallery.class).size()).isEqualTo(4);
        }
    }

    @Test
    @Order(5)
    void theCliImportsPhotoFoldersAndFollowsTheJobToTheEnd() throws Exception {
        photo("tom_hanks/02.jpg", "term2/teacher/T102_Tom_Hanks/02.jpg");
        photo("serena_williams/01.jpg", "term2/students/S107 Serena Williams/01.jpg");
        photo("serena_williams/02.jpg", "term2/students/S107 Serena Williams/02.jpg");

        StringWriter out = new StringWriter();
        int exit = cli(out, "import", "--dir", importDir.resolve("term2").toString(), "--import-dir", importDir.toString(),
                "--url", url(), "--poll", "100");

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("3/3 (0 failed)").contains("Completed: 3 enrolled, 0 failed");
        Reply teachers = service.http.get("/api/face/list/teacher");
        List<String> names = new ArrayList<>();
        teachers.body().path("faces").forEach(f -> names.add(f.path("person_code").asString() + " " + f.path("person_name").asString()));
        assertThat(names).containsExactly("T101 Hugo Chavez", "T102 Tom Hanks");
        assertThat(samples()).isEqualTo(7);
    }

    @Test
    @Order(6)
    void theCliExitsNonZeroWhenTheJobIsAbortedBecauseTheImportFolderIsGone() throws Exception {
        Path csv = dir.resolve("later.csv");
        Files.writeString(csv, HEADER + "student,S120,Later,student/S101_Kofi_Annan/01.jpg\n");
        Path away = dir.resolve("import-unmounted");
        Files.move(importDir, away);
        StringWriter out = new StringWriter();
        int exit;
        try {
            exit = cli(out, "import", csv.toString(), "--url", url(), "--poll", "100");
        } finally {
            Files.move(away, importDir);
        }

        assertThat(exit).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("0/1 (0 failed)")
                .contains("Aborted: job: SERVICE_UNAVAILABLE The bulk import folder (BULK_IMPORT_DIR) does not exist on this worker");
    }

    @Test
    @Order(7)
    void aJobWhoseWorkerStopsHalfWayIsFinishedByTheOtherWithoutEnrollingAnythingTwice() throws Exception {
        // Thirty enrollments: ten pupils, three photos each (the same three photos of one face for every pupil:
        // allow_duplicate lets them be, and each pupil's photos look alike, as SAMPLE_MISMATCH requires).
        StringBuilder csv = new StringBuilder(HEADER);
        photo("kofi_annan/01.jpg", "term3/01.jpg");
        photo("kofi_annan/02.jpg", "term3/02.jpg");
        photo("kofi_annan/03.jpg", "term3/03.jpg");
        for (int p = 1; p <= 10; p++) {
            for (int i = 1; i <= 3; i++) {
                csv.append("student,S2").append(String.format("%02d", p)).append(",Pupil ").append(p).append(",term3/0").append(i).append(".jpg\n");
            }
        }
        int before = samples();
        Reply accepted = service.http.post("/api/face/bulk-import", Map.of("csv", csv.toString(), "allow_duplicate", true));
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
        String statusUrl = accepted.body().path("status_url").asString();

        JsonNode midway = awaitStatus(statusUrl, s -> s.path("status").asString().equals("running") && s.path("done").asInt() >= 1);
        assertThat(midway.path("done").asInt()).isLessThan(30);
        String first = midway.path("worker").asString();
        ConfigurableApplicationContext stopped = service.workers.stream()
                .filter(w -> w.getBean(WorkerConfig.class).workerId().equals(first)).findFirst().orElseThrow();
        stopped.close();
        service.workers.remove(stopped);

        JsonNode end = awaitStatus(statusUrl, s -> s.path("status").asString().equals("completed"));
        assertThat(end.path("worker").asString()).isNotEqualTo(first);
        assertThat(end.path("done").asInt()).isEqualTo(30);
        assertThat(end.path("failed").asInt()).isZero();
        assertThat(samples()).isEqualTo(before + 30);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** Every enrolled sample of every person: what counts when nothing may be enrolled twice. */
    private static int samples() throws Exception {
        return service.http.get("/api/face/list/all?per_sample=true").body().path("total_count").asInt();
    }

    private static void photo(String devPhoto, String importPath) throws IOException {
        Path target = importDir.resolve(importPath);
        Files.createDirectories(target.getParent());
        Files.copy(DevData.photo(devPhoto), target);
    }

    private static JsonNode recognize(String photo) throws Exception {
        Reply r = service.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64(photo)));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }

    private static List<org.assertj.core.groups.Tuple> failures(JsonNode status) {
        List<org.assertj.core.groups.Tuple> list = new ArrayList<>();
        status.path("failures").forEach(f -> list.add(tuple(f.path("line").asInt(), f.path("person_code").asString(),
                f.path("error_code").asString())));
        return list;
    }

    /** The job's status once it has ended, and (when {@code after} is given) was updated after that time. */
    private static JsonNode awaitEnd(String statusUrl, String after) throws Exception {
        return awaitStatus(statusUrl, s -> (s.path("status").asString().equals("completed") || s.path("status").asString().equals("aborted"))
                && (after == null || java.time.Instant.parse(s.path("updated_at").asString()).isAfter(java.time.Instant.parse(after))));
    }

    private static JsonNode awaitStatus(String statusUrl, java.util.function.Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Reply r = service.http.get(statusUrl);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            last = r.body();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("bulk job did not get there in time; last status " + last);
    }

    private static void awaitGallerySize(ConfigurableApplicationContext worker, int size) throws InterruptedException {
        Gallery gallery = worker.getBean(Gallery.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gallery.size() != size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(gallery.size()).as("gallery of %s", worker.getBean(WorkerConfig.class).workerId()).isEqualTo(size);
    }

    private static KafkaClients kafka() {
        return service.kafka().clients();
    }

    /** Every message on the bulk-jobs topic, read from the beginning by a consumer outside the workers' group. */
    private static List<ConsumerRecord<String, byte[]>> jobRecords() {
        Map<String, Object> config = kafka().consumer();
        String topic = service.kafka().topics().bulkJobs();
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<String> jobKeys() {
        return jobRecords().stream().map(ConsumerRecord::key).toList();
    }

    private static String url() {
        return "http://127.0.0.1:" + service.ingress.getEnvironment().getProperty("local.server.port");
    }

    private static int cli(StringWriter out, String... args) {
        CommandLine cli = new CommandLine(new RollcallCli());
        PrintWriter writer = new PrintWriter(out, true);
        cli.setOut(writer);
        cli.setErr(writer);
        return cli.execute(args);
    }
}

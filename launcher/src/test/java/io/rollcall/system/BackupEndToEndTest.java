package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.backup.BackupKey;
import io.rollcall.backup.BackupOptions;
import io.rollcall.backup.BackupReport;
import io.rollcall.backup.DatabaseBackup;
import io.rollcall.backup.DatabaseRestore;
import io.rollcall.backup.RestoreMode;
import io.rollcall.backup.RestoreReport;
import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.storage.Database;
import io.rollcall.testing.DevData;
import io.rollcall.testing.TestDatabase;
import io.rollcall.worker.WorkerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The way from the embedded default to a school's MySQL: a backup taken while the service on H2 answers
 * recognitions, restored into an empty MariaDB database that another service already runs on, which then, without a
 * restart, recognises every probe as the first service did, to the last digit of the score.
 */
class BackupEndToEndTest {
    private static final BackupKey KEY = BackupKey.of("a school's long backup passphrase");
    /** Enrolled from their first photo, probed with their second. */
    private static final List<String> PEOPLE = List.of("angelina_jolie", "kit_harington", "tom_hanks", "emilia_clarke",
            "george_clooney", "elon_musk");
    /** Enrolled nowhere: must stay unknown on both. */
    private static final String STRANGER = "george_w_bush/01.jpg";

    @TempDir
    Path dir;

    @Test
    void aBackupTakenWhileServingRestoresIntoMariaDbAndRecognisesEveryoneAlike() throws Exception {
        Path file = dir.resolve("school.rcbackup");
        Map<String, String> before;
        try (RunningService h2 = new RunningService(dir.resolve("h2"), 1, Map.of())) {
            for (int i = 0; i < PEOPLE.size(); i++) {
                Reply r = h2.http.post("/api/face/enroll", RunningService.studentEnrollment(code(i), PEOPLE.get(i) + "/01.jpg"));
                assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            }
            WorkerConfig config = WorkerConfig.from(h2.env, null);
            try (Database database = Database.open(config.store())) {
                long session = database.access().read("fixture", () -> database.access().insertReturningId(
                        "INSERT INTO Sessions (Name, StartTime) VALUES (?, ?)", List.of("Form 7B", LocalDateTime.now())));
                Reply marked = h2.http.post("/api/face/recognize", Map.of("image_base64",
                        RunningService.base64(PEOPLE.getFirst() + "/02.jpg"), "session_id", session));
                assertThat(marked.body().path("attendance").path("newly_recorded").asBoolean()).isTrue();

                // Doors keep recognising while the backup runs.
                AtomicBoolean backingUp = new AtomicBoolean();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger during = new AtomicInteger();
                List<String> failures = new ArrayList<>();
                Thread doors = Thread.ofPlatform().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        int who = i % PEOPLE.size();
                        try {
                            JsonNode match = recognize(h2, PEOPLE.get(who) + "/02.jpg").path("match");
                            if (!code(who).equals(match.path("person_code").asString())) {
                                failures.add(PEOPLE.get(who) + " recognised as " + match);
                            } else if (backingUp.get()) {
                                during.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            failures.add(e.toString());
                        }
                    }
                });
                try {
                    Thread.sleep(500);
                    backingUp.set(true);
                    BackupReport report = new DatabaseBackup(database.access()).write(file, KEY, BackupOptions.EVERYTHING);
                    backingUp.set(false);
                    assertThat(report.rows()).containsEntry("FaceData", (long) PEOPLE.size())
                            .containsEntry("AttendanceRecords", 1L).containsEntry("Student", (long) PEOPLE.size());
                } finally {
                    stop.set(true);
                    doors.join();
                }
                assertThat(failures).isEmpty();
                assertThat(during.get()).as("recognitions answered while the backup ran").isPositive();
            }
            before = answers(h2);
        }
        assertThat(before.values()).doesNotContainNull().hasSize(PEOPLE.size() + 1);

        theFileShowsNothingItHolds(file);

        try (TestDatabase mariaDb = TestDatabase.create(TestDatabase.Kind.MARIADB);
             RunningService school = new RunningService(dir.resolve("mariadb"), 1, Map.of(
                     "DATABASE_URL", mariaDb.settings().jdbcUrl(),
                     "DATABASE_USER", mariaDb.settings().user(),
                     "GALLERY_RECONCILE_SECONDS", "1"))) {
            assertThat(recognize(school, PEOPLE.getFirst() + "/02.jpg").path("match").isNull()).isTrue();

            RestoreReport report = new DatabaseRestore(mariaDb.access()).restore(file, KEY, RestoreMode.MERGE);
            assertThat(report.tables().get("FaceData").inserted()).isEqualTo(PEOPLE.size());

            // No restart: the worker's reconciliation picks the restored samples up.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (recognize(school, PEOPLE.getLast() + "/02.jpg").path("match").isNull() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(answers(school)).isEqualTo(before);
            assertThat(mariaDb.sql().sql("SELECT StudentCode FROM AttendanceRecords a JOIN Sessions s ON s.Id = a.SessionId"
                    + " WHERE s.Name = 'Form 7B'").query(String.class).list()).containsExactly(code(0));
        }
    }

    /**
     * Searched for: each photo's first 12 bytes (JPEG magic and the JFIF/Exif marker; three bytes alone turn up by
     * chance in 4 MB of ciphertext) and 16 from its middle, the archive's and the JSON's markers, names, embeddings.
     */
    private static void theFileShowsNothingItHolds(Path file) throws Exception {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        List<String> secrets = new ArrayList<>(List.of("PK\u0003\u0004\u0014\u0000", "Student S0", "\"S001\"", "embedding", "\"model\"",
                "FaceData", "angelina", "Angelina"));
        for (String person : PEOPLE) {
            byte[] photo = DevData.bytes(person + "/01.jpg");
            secrets.add(new String(photo, 0, 12, StandardCharsets.ISO_8859_1));
            secrets.add(new String(photo, photo.length / 2, 16, StandardCharsets.ISO_8859_1));
        }
        for (String secret : secrets) {
            assertThat(bytes.indexOf(secret)).as("%s in the backup", secret.length() > 11 ? "photo bytes" : secret).isNegative();
        }
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(file), 0, 8)).isEqualTo("52434241434b5550"); // RCBACKUP
    }

    /** Every probe's answer, person and score, and the stranger's. */
    private static Map<String, String> answers(RunningService service) throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String person : PEOPLE) {
            JsonNode match = recognize(service, person + "/02.jpg").path("match");
            answers.put(person, match.path("person_code").asString() + " " + match.path("person_name").asString()
                    + " " + match.path("similarity_score").asDouble() + " " + match.path("confidence").asDouble());
        }
        answers.put(STRANGER, recognize(service, STRANGER).path("match").toString());
        return answers;
    }

    private static JsonNode recognize(RunningService service, String photo) throws Exception {
        Reply r = service.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64(photo)));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }

    private static String code(int i) {
        return "S00" + (i + 1);
    }
}

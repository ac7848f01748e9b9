package io.rollcall.backup;

import static io.rollcall.backup.BackupFixture.count;
import static io.rollcall.backup.BackupFixture.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.testing.DevData;
import io.rollcall.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backups of a school's database and their restores, on H2 and on MariaDB through both drivers: every table comes
 * back exactly, the file shows nothing of what it holds, and a wrong key or a damaged file writes nothing.
 */
class BackupRestoreTest {
    private static final BackupKey KEY = BackupKey.of("correct horse battery staple");
    /** Few iterations: the key derivation would otherwise take most of each test. */
    private static final int FAST_KDF = 1_000;

    @TempDir
    static Path dir;
    static TestDatabase source;
    static Path backup;

    @BeforeAll
    static void backUpTheFixture() {
        source = TestDatabase.migrated(TestDatabase.Kind.H2);
        BackupFixture.fill(source);
        backup = dir.resolve("school.rcbackup");
        BackupReport report = backup(source, backup, BackupOptions.EVERYTHING);
        assertThat(report.rows()).containsExactly(
                Map.entry("Student", 2L), Map.entry("Teacher", 1L), Map.entry("Sessions", 1L), Map.entry("FaceData", 5L),
                Map.entry("RollcallPackDescriptors", 1L), Map.entry("AttendanceRecords", 1L), Map.entry("FaceRecognitionLogs", 2L),
                Map.entry("RollcallMigrationBatches", 1L), Map.entry("RollcallMigratedSamples", 1L),
                Map.entry("RollcallMigratedPersons", 1L));
        assertThat(report.modelPacks()).containsExactly(Map.entry("dev", 4L), Map.entry("legacy", 1L));
    }

    @AfterAll
    static void dropTheSource() {
        source.close();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void replaceIntoAnEmptyDatabaseGivesBackEveryRowWithItsId(TestDatabase.Kind kind) {
        try (TestDatabase target = TestDatabase.migrated(kind)) {
            RestoreReport report = restore(target, RestoreMode.REPLACE);

            assertThat(dump(target, true)).isEqualTo(dump(source, true));
            assertThat(report.tables().get("FaceData")).isEqualTo(new RestoreReport.Counts(5, 5, 0, 0, true));
            // The identity counters moved past the restored ids: the next enrollment does not collide.
            long next = BackupFixture.sample(target, "student", "S002", null, BackupFixture.descriptor(9));
            assertThat(next).isGreaterThan(5);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void mergeIntoAnEmptyDatabaseGivesBackEveryRowAndASecondMergeAddsNothing(TestDatabase.Kind kind) {
        try (TestDatabase target = TestDatabase.migrated(kind)) {
            restore(target, RestoreMode.MERGE);
            assertThat(dump(target, false)).isEqualTo(dump(source, false));

            RestoreReport again = restore(target, RestoreMode.MERGE);

            assertThat(dump(target, false)).isEqualTo(dump(source, false));
            again.tables().forEach((table, n) -> assertThat(n.inserted()).as(table).isZero());
            assertThat(again.tables().get("FaceData").matched()).isEqualTo(5);
        }
    }

    @Test
    void mergeKeepsWhatTheDatabaseHasAndPointsRestoredRowsAtTheirNewIds() {
        try (TestDatabase target = TestDatabase.migrated(TestDatabase.Kind.MARIADB)) {
            // The target's own people, samples and session, so that every restored id differs from the backup's.
            target.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES ('S900', 'Other Pupil'), ('S001', 'A. Jolie')").update();
            BackupFixture.sample(target, "student", "S900", "kit_harington/02.jpg", BackupFixture.descriptor(90));
            target.sql().sql("INSERT INTO Sessions (Name, StartTime) VALUES ('Assembly', ?)").param(BackupFixture.MONDAY).update();

            RestoreReport report = restore(target, RestoreMode.MERGE);

            assertThat(report.tables().get("Student")).isEqualTo(new RestoreReport.Counts(2, 1, 1, 0, false));
            assertThat(report.tables().get("FaceData")).isEqualTo(new RestoreReport.Counts(5, 5, 0, 0, false));
            // S001 keeps the school's name; S900 and its sample stay.
            assertThat(target.sql().sql("SELECT StudentName FROM Student WHERE StudentCode = 'S001'").query(String.class).list())
                    .containsExactly("A. Jolie");
            assertThat(count(target, "FaceData")).isEqualTo(6);
            // The attendance row points at the restored session, the migration record at the restored sample.
            assertThat(target.sql().sql("SELECT s.Name FROM AttendanceRecords a JOIN Sessions s ON s.Id = a.SessionId")
                    .query(String.class).list()).containsExactly("Form 7B, first period");
            assertThat(target.sql().sql("SELECT f.OriginalName FROM RollcallMigratedSamples m JOIN FaceData f ON f.Id = m.FaceDataId")
                    .query(String.class).list()).containsExactly("angelina_jolie/01.jpg");
        }
    }

    @Test
    void replaceLeavesExactlyTheBackupAndGivesSamplesNewIdsWhereTheDatabaseHadSome() {
        try (TestDatabase target = TestDatabase.migrated(TestDatabase.Kind.H2)) {
            target.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES ('S900', 'Other Pupil')").update();
            for (int i = 0; i < 7; i++) {
                BackupFixture.sample(target, "student", "S900", null, BackupFixture.descriptor(100 + i));
            }

            RestoreReport report = restore(target, RestoreMode.REPLACE);

            assertThat(dump(target, false)).isEqualTo(dump(source, false));
            assertThat(report.tables().get("FaceData")).isEqualTo(new RestoreReport.Counts(5, 5, 0, 7, false));
            assertThat(report.tables().get("Student")).isEqualTo(new RestoreReport.Counts(2, 2, 0, 1, true));
            assertThat(target.sql().sql("SELECT MIN(Id) FROM FaceData").query(Long.class).single()).isGreaterThan(7);
            assertThat(target.sql().sql("SELECT f.OriginalName FROM RollcallMigratedSamples m JOIN FaceData f ON f.Id = m.FaceDataId")
                    .query(String.class).list()).containsExactly("angelina_jolie/01.jpg");
        }
    }

    @Test
    void theFileShowsNoPhotoEmbeddingNameOrArchive() throws IOException {
        byte[] file = Files.readAllBytes(backup);

        // A JPEG's first 12 bytes (magic and JFIF/Exif marker): its 3-byte magic alone turns up by chance in MBs of ciphertext.
        for (String photo : List.of("angelina_jolie/01.jpg", "angelina_jolie/02.jpg", "angelina_jolie/03.jpg",
                "angelina_jolie/06.jpg", "kit_harington/01.jpg")) {
            byte[] jpeg = DevData.bytes(photo);
            assertThat(indexOf(file, Arrays.copyOf(jpeg, 12))).as(photo + "'s header").isNegative();
        }
        // Six bytes or more each: shorter strings turn up by chance in MBs of ciphertext.
        assertThat(indexOf(file, "PK\u0003\u0004\u0014\u0000".getBytes(StandardCharsets.ISO_8859_1))).as("ZIP entry").isNegative();
        for (String text : List.of("Angelina", "Jolie\"", "Harington", "\"S001", "embedding", "\"model\"", "FaceData", "Student",
                BackupFixture.descriptor(1).substring(40, 70))) {
            assertThat(indexOf(file, text.getBytes(StandardCharsets.UTF_8))).as(text).isNegative();
            assertThat(indexOf(file, text.getBytes(StandardCharsets.UTF_16LE))).as(text + " in UTF-16").isNegative();
        }
        // Nor any 16 bytes of a photo, in case a JPEG's magic were cut.
        byte[] photo = DevData.bytes("angelina_jolie/01.jpg");
        assertThat(indexOf(file, Arrays.copyOfRange(photo, 5000, 5016))).isNegative();
    }

    @Test
    void withoutImagesNoPhotoIsKeptAndTheDescriptorsAre() {
        Path file = dir.resolve("no-images.rcbackup");
        backup(source, file, new BackupOptions(false, false));
        try (TestDatabase target = TestDatabase.migrated(TestDatabase.Kind.H2)) {
            RestoreReport report = new DatabaseRestore(target.access()).restore(file, KEY, RestoreMode.MERGE);

            assertThat(report.images()).isFalse();
            assertThat(report.tables()).doesNotContainKey("FaceRecognitionLogs");
            assertThat(target.sql().sql("SELECT COUNT(*) FROM FaceData WHERE ImageData IS NOT NULL").query(Long.class).single()).isZero();
            assertThat(target.sql().sql("SELECT COUNT(*) FROM Student WHERE StudentImage IS NOT NULL").query(Long.class).single()).isZero();
            assertThat(target.sql().sql("SELECT FaceDescriptor FROM FaceData ORDER BY Id").query(String.class).list())
                    .isEqualTo(source.sql().sql("SELECT FaceDescriptor FROM FaceData ORDER BY Id").query(String.class).list());
        }
    }

    @Test
    void aWrongKeyIsRefusedAndNothingIsWritten() throws IOException {
        assertRefused(Files.readAllBytes(backup), BackupKey.of("correct horse battery stapler"), ErrorCode.BACKUP_KEY_WRONG);
    }

    @Test
    void aFileCutAnywhereIsRefusedAsTruncatedAndNothingIsWritten() throws IOException {
        byte[] file = Files.readAllBytes(backup);
        int chunk = 4 + SealedHeader.DEFAULT_CHUNK_SIZE + SealedOutputStream.TAG_BYTES;
        assertThat(file.length).as("the fixture spans several chunks").isGreaterThan(SealedHeader.LENGTH + chunk);

        assertRefused(Arrays.copyOf(file, SealedHeader.LENGTH + chunk), KEY, ErrorCode.BACKUP_TRUNCATED); // at a boundary
        assertRefused(Arrays.copyOf(file, file.length - 100), KEY, ErrorCode.BACKUP_TRUNCATED); // inside the last chunk
        assertRefused(Arrays.copyOf(file, SealedHeader.LENGTH), KEY, ErrorCode.BACKUP_TRUNCATED); // no chunk at all
        assertRefused(Arrays.copyOf(file, 40), KEY, ErrorCode.BACKUP_TRUNCATED); // inside the header
    }

    @Test
    void anyAlteredByteIsRefusedAndNothingIsWritten() throws IOException {
        byte[] file = Files.readAllBytes(backup);
        for (int at : new int[] {SealedHeader.LENGTH + 2, SealedHeader.LENGTH + 4 + 1000, file.length / 2, file.length - 1}) {
            byte[] altered = file.clone();
            altered[at] ^= 0x01;
            assertRefused(altered, KEY, ErrorCode.BACKUP_CORRUPT);
        }
        // Two chunks swapped: each is authentic, but not at that place.
        int chunk = 4 + SealedHeader.DEFAULT_CHUNK_SIZE + SealedOutputStream.TAG_BYTES;
        int second = SealedHeader.LENGTH + chunk;
        byte[] swapped = new byte[file.length];
        System.arraycopy(file, 0, swapped, 0, SealedHeader.LENGTH);
        System.arraycopy(file, second, swapped, SealedHeader.LENGTH, file.length - second);
        System.arraycopy(file, SealedHeader.LENGTH, swapped, SealedHeader.LENGTH + file.length - second, chunk);
        assertRefused(swapped, KEY, ErrorCode.BACKUP_CORRUPT);
        // Bytes appended after the last chunk.
        byte[] longer = Arrays.copyOf(file, file.length + 20);
        assertRefused(longer, KEY, ErrorCode.BACKUP_CORRUPT);
        // The header's salt: the key check fails, as with a wrong key.
        byte[] salted = file.clone();
        salted[20] ^= 0x01;
        assertRefused(salted, KEY, ErrorCode.BACKUP_KEY_WRONG);
    }

    @Test
    void somethingElseIsNotABackup() throws IOException {
        assertRefused("just some text that is long enough to hold a header, and then some more text after it"
                .getBytes(StandardCharsets.UTF_8), KEY, ErrorCode.BACKUP_UNSUPPORTED);
    }

    @Test
    void aShortOrMissingKeyIsRefusedBeforeAnythingIsRead() {
        assertThatThrownBy(() -> BackupKey.of(null)).extracting(e -> ((RollcallException) e).code())
                .isEqualTo(ErrorCode.BACKUP_KEY_MISSING);
        assertThatThrownBy(() -> BackupKey.of("short")).extracting(e -> ((RollcallException) e).code())
                .isEqualTo(ErrorCode.BACKUP_KEY_MISSING);
        assertThat(KEY.toString()).doesNotContain("horse");
    }

    @Test
    void aBackupNeverOverwritesAFile() throws IOException {
        Path existing = Files.writeString(dir.resolve("existing.rcbackup"), "keep me");
        assertThatThrownBy(() -> backup(source, existing, BackupOptions.EVERYTHING))
                .extracting(e -> ((RollcallException) e).code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        assertThat(Files.getPosixFilePermissions(backup)).hasToString("[OWNER_READ, OWNER_WRITE]");
    }

    /** The damaged file is refused with {@code code}, into a MariaDB database that holds rows of its own. */
    private static void assertRefused(byte[] damaged, BackupKey key, ErrorCode code) throws IOException {
        Path file = Files.write(dir.resolve("damaged-" + HexFormat.of().toHexDigits(System.nanoTime()) + ".rcbackup"), damaged);
        try (TestDatabase target = TestDatabase.migrated(TestDatabase.Kind.H2)) {
            target.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES ('S900', 'Other Pupil')").update();
            BackupFixture.sample(target, "student", "S900", null, BackupFixture.descriptor(90));
            var before = dump(target, true);
            for (RestoreMode mode : RestoreMode.values()) {
                assertThatThrownBy(() -> new DatabaseRestore(target.access()).restore(file, key, mode))
                        .as(code + " in " + mode)
                        .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(code));
            }
            assertThat(dump(target, true)).isEqualTo(before);
        }
    }

    static BackupReport backup(TestDatabase db, Path file, BackupOptions options) {
        return new DatabaseBackup(db.access(), Clock.systemUTC(), FAST_KDF).write(file, KEY, options);
    }

    private static RestoreReport restore(TestDatabase target, RestoreMode mode) {
        return new DatabaseRestore(target.access()).restore(backup, KEY, mode);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

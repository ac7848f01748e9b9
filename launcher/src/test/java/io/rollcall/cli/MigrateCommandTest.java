package io.rollcall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rollcall.json.Json;
import io.rollcall.storage.Database;
import io.rollcall.storage.StoreSettings;
import io.rollcall.testing.DevData;
import io.rollcall.testing.LegacySchool;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./rollcall migrate --local} on a school's H2 file built the way the old system leaves it
 * ({@link LegacySchool#standardClass}): the real dev pack, no service and no broker.
 */
class MigrateCommandTest {
    @TempDir
    Path dir;
    private String url;
    private Map<String, String> env;
    private Map<String, List<Map<String, String>>> before;

    @BeforeEach
    void buildTheOldSystemsDatabase() {
        url = "jdbc:h2:file:" + dir.resolve("school/db").toAbsolutePath();
        env = Map.of("MODELS_DIR", DevData.models().toString(), "INSIGHTFACE_MODEL", "dev", "AUTO_DOWNLOAD_MODELS", "false",
                "DATABASE_URL", url, "DATA_DIR", dir.toString());
        try (HikariDataSource school = Database.createDataSource(new StoreSettings(url, null, null, 2), true)) {
            LegacySchool.standardClass(school, "h2");
            before = LegacySchool.snapshot(school, Set.of());
        }
    }

    @Test
    void migratesPrintsTheSummaryAndWritesTheReportAndTheMissingPeople() throws IOException {
        Path report = dir.resolve("report.json");
        Path missing = dir.resolve("missing.csv");
        StringWriter out = new StringWriter();

        int exit = migrate(out, "--local", "--report", report.toString(), "--missing", missing.toString());

        assertThat(exit).as(out.toString()).isZero();
        JsonNode r = Json.MAPPER.readTree(Files.readString(report));
        String batch = r.path("batch_id").asString();
        assertThat(r.path("kind").asString()).isEqualTo("migration");
        assertThat(r.path("persons_total").asInt()).isEqualTo(15);
        assertThat(r.path("migrated").asInt()).isEqualTo(6);
        assertThat(r.path("samples_created").asInt()).isEqualTo(9);
        assertThat(r.path("coverage").asDouble()).isEqualTo(0.4);
        assertThat(r.path("skipped")).isEqualTo(Json.MAPPER.readTree("""
                {"no_photo": 5, "no_face": 1, "multiple_faces": 1, "unreadable": 1, "duplicate": 1, "sample_mismatch": 1,
                 "same_photo": 1, "sample_limit": 0}"""));
        assertThat(r.path("validation").path("probes").asInt()).isEqualTo(3);
        assertThat(r.path("validation").path("rank1").asDouble()).isEqualTo(1.0);
        assertThat(r.path("validation").has("tar_at_far_1e-3")).isTrue();
        assertThat(r.path("validation").path("gallery_faces").asInt()).isEqualTo(9);
        assertThat(r.path("validation").path("threshold_in_force").asDouble()).isEqualTo(0.3435);
        assertThat(r.path("validation").path("recommended_threshold").isNull()).isTrue();
        assertThat(Files.readAllLines(missing)).containsExactly(
                "person_type,person_code,person_name,reason",
                "student,S001,Ann Lee,no_photo",
                "student,S002,Bo,no_photo",
                "student,S003,Cy Dee,no_photo",
                "student,S104,Nobody Face,no_face",
                "student,S106,Descriptor Only,no_photo",
                "student,S108,Group Photo,multiple_faces",
                "student,S109,Broken File,unreadable",
                "teacher,T01,Tess Ray,no_photo",
                "teacher,T102,Tom Again,duplicate");
        assertThat(out.toString())
                .contains("Migration batch " + batch + " against " + url)
                .contains("[##############################] 100%  15/15 people, 9 without a usable photo")
                .contains("  people selected:        15")
                .contains("  migrated:               6 (coverage 40.0 %)")
                .contains("  without a usable photo: 9 (--missing lists them for re-enrollment)")
                .contains("  photos: 15; rows created: 9; migrated by an earlier run: 0")
                .contains("  photos skipped: no_photo 5, no_face 1, multiple_faces 1, unreadable 1, duplicate 1, sample_mismatch 1, same_photo 1")
                .contains("  validation on the school's own photos: 6 people, 3 probes, rank-1 1.0000; 3 genuine and 15 impostor pairs")
                .contains("  decision for the 9 faces now enrolled: gallery-size threshold for 0.01 of strangers accepted,"
                        + " threshold 0.3435, probes recognised 1.0000; this school's own photos recommend nothing yet (too few pairs)")
                .contains("WARNING: Only 15 impostor pairs")
                .contains("Roll back with: ./rollcall migrate --rollback " + batch)
                .contains("Report written to " + report)
                .contains("9 people without a usable photo written to " + missing);

        StringWriter again = new StringWriter();
        assertThat(migrate(again, "--local", "--dry-run")).isZero();
        assertThat(again.toString()).contains("Dry run of migration").contains("  people selected:        9")
                .contains("rows it would create: 0");

        StringWriter undo = new StringWriter();
        assertThat(migrate(undo, "--local", "--rollback", batch)).as(undo.toString()).isZero();
        assertThat(undo.toString()).contains("Rollback of migration batch " + batch + ": 9 rows deleted, of 15 people");
        try (HikariDataSource school = Database.createDataSource(new StoreSettings(url, null, null, 2), true)) {
            Map<String, List<Map<String, String>>> after = LegacySchool.snapshot(school, Set.of());
            // ImageSha256 arrived with Rollcall's schema (every old row NULL); otherwise byte for byte as before.
            after.get("FaceData").forEach(row -> assertThat(row.remove("imagesha256")).isEqualTo("NULL"));
            assertThat(after).isEqualTo(before);
        }
    }

    @Test
    void badOptionsAreRefusedAndAnUnknownBatchIsNotFound() {
        StringWriter mixed = new StringWriter();
        assertThat(migrate(mixed, "--rollback", "0b6f7d36-1d7e-4a43-9c61-1d0c8f0f5a11", "--campus", "North")).isEqualTo(2);
        assertThat(mixed.toString()).contains("migrate: --rollback takes no selection options");

        StringWriter zero = new StringWriter();
        assertThat(migrate(zero, "--local", "--limit", "0")).isEqualTo(2);
        assertThat(zero.toString()).contains("migrate: VALIDATION_ERROR: limit must be at least 1, got 0");

        StringWriter unknown = new StringWriter();
        assertThat(migrate(unknown, "--local", "--rollback", "0b6f7d36-1d7e-4a43-9c61-1d0c8f0f5a11")).isEqualTo(1);
        assertThat(unknown.toString()).contains("migrate: NOT_FOUND: No migration batch 0b6f7d36-1d7e-4a43-9c61-1d0c8f0f5a11");

        StringWriter unreachable = new StringWriter();
        assertThat(migrate(unreachable, "--url", "http://127.0.0.1:1", "--dry-run")).isEqualTo(2);
        assertThat(unreachable.toString()).contains("migrate: cannot reach http://127.0.0.1:1");
    }

    @Test
    void aCodesFileTakesOneCodeALineOrCommaSeparatedWithComments() throws IOException {
        Path codes = dir.resolve("codes.txt");
        Files.writeString(codes, "\uFEFFS101, S102\n# teachers\nT101  # head of maths\n\nS101\n");

        assertThat(MigrateCommand.readCodes(codes)).containsExactly("S101", "S102", "T101");
    }

    private int migrate(StringWriter out, String... args) {
        CommandLine cli = new CommandLine(new MigrateCommand(env));
        PrintWriter writer = new PrintWriter(out, true);
        cli.setOut(writer);
        cli.setErr(writer);
        return cli.execute(args);
    }
}

package io.rollcall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.testing.DevData;
import io.rollcall.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./rollcall backup} and {@code restore} as an operator runs them: exit codes, what they print, and the
 * refusals, with the production key derivation.
 */
class BackupCommandTest {
    @TempDir
    Path dir;

    @Test
    void backupThenCheckThenRestoreIntoMariaDbAndRefusalsWithTheirCodes() throws Exception {
        try (TestDatabase school = TestDatabase.migrated(TestDatabase.Kind.H2);
             TestDatabase mariaDb = TestDatabase.migrated(TestDatabase.Kind.MARIADB)) {
            school.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES ('S001', 'Ada Lovelace')").update();
            school.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, ImageData, FaceDescriptor) VALUES ('student', 'S001', ?, ?)")
                    .params(DevData.bytes("angelina_jolie/04.jpg"), "{\"model\":\"dev\",\"dim\":2,\"embedding\":[0.6,0.8]}").update();
            Path file = dir.resolve("school.rcbackup");

            StringWriter out = new StringWriter();
            assertThat(run(new BackupCommand(env(school, "a school's long backup passphrase")), out, file.toString(), "--no-logs"))
                    .isZero();
            assertThat(out.toString()).contains("Backup of H2").contains("FaceData").contains("{dev=1}")
                    .contains("recognition logs left out").doesNotContain("Ada");

            out = new StringWriter();
            assertThat(run(new BackupCommand(env(school, null)), out, dir.resolve("other").toString())).isEqualTo(2);
            assertThat(out.toString()).contains("BACKUP_KEY_MISSING");
            assertThat(dir.resolve("other")).doesNotExist();

            out = new StringWriter();
            assertThat(run(new RestoreCommand(env(mariaDb, "a school's long backup passphrase")), out, file.toString(), "--check"))
                    .isZero();
            assertThat(out.toString()).contains("Checked, nothing written");
            assertThat(mariaDb.sql().sql("SELECT COUNT(*) FROM FaceData").query(Long.class).single()).isZero();

            out = new StringWriter();
            assertThat(run(new RestoreCommand(env(mariaDb, "not the school's passphrase")), out, file.toString())).isEqualTo(2);
            assertThat(out.toString()).contains("restore: BACKUP_KEY_WRONG");

            out = new StringWriter();
            assertThat(run(new RestoreCommand(env(mariaDb, "a school's long backup passphrase")), out, file.toString(),
                    "--mode", "sideways")).isEqualTo(2);
            assertThat(out.toString()).contains("--mode must be merge or replace");

            byte[] bytes = Files.readAllBytes(file);
            Path cut = Files.write(dir.resolve("cut.rcbackup"), java.util.Arrays.copyOf(bytes, bytes.length - 1));
            out = new StringWriter();
            assertThat(run(new RestoreCommand(env(mariaDb, "a school's long backup passphrase")), out, cut.toString())).isEqualTo(2);
            assertThat(out.toString()).contains("restore: BACKUP_TRUNCATED");
            assertThat(mariaDb.sql().sql("SELECT COUNT(*) FROM FaceData").query(Long.class).single()).isZero();

            out = new StringWriter();
            assertThat(run(new RestoreCommand(env(mariaDb, "a school's long backup passphrase")), out, file.toString(),
                    "--mode", "replace")).isZero();
            assertThat(out.toString()).contains("Restored (replace)").contains("(ids kept)");
            assertThat(mariaDb.sql().sql("SELECT StudentName FROM Student").query(String.class).list()).containsExactly("Ada Lovelace");
            assertThat(mariaDb.sql().sql("SELECT ImageData FROM FaceData").query(byte[].class).single())
                    .isEqualTo(DevData.bytes("angelina_jolie/04.jpg"));
        }
    }

    private static Map<String, String> env(TestDatabase db, String key) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", db.settings().jdbcUrl());
        if (db.settings().user() != null) {
            env.put("DATABASE_USER", db.settings().user());
        }
        if (key != null) {
            env.put("BACKUP_KEY", key);
        }
        env.put("MODELS_DIR", DevData.models().toString());
        env.put("INSIGHTFACE_MODEL", "dev");
        return env;
    }

    private static int run(Object command, StringWriter out, String... args) {
        CommandLine cli = new CommandLine(command);
        PrintWriter writer = new PrintWriter(out, true);
        cli.setOut(writer);
        cli.setErr(writer);
        return cli.execute(args);
    }
}

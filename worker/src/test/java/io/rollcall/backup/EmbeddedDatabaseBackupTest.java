package io.rollcall.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.storage.Database;
import io.rollcall.storage.StoreSettings;
import io.rollcall.testing.DevData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default while {@code ./rollcall} runs: another process holds the H2 file and writes to it all the
 * time, and a backup taken from this process is still a consistent snapshot.
 */
class EmbeddedDatabaseBackupTest {
    @TempDir
    Path dir;

    @Test
    void aBackupOfTheEmbeddedDatabaseWhileAnotherProcessWritesToItIsOneConsistentSnapshot() throws Exception {
        String url = StoreSettings.defaultJdbcUrl(dir);
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // No h2.bindAddress here: Database must set it itself, as in production.
                "-cp", System.getProperty("java.class.path"), "-Xmx256m",
                SessionWriterProcess.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");

            theOtherProcessServesTheDatabaseOnLoopbackOnly();

            // Without AUTO_SERVER the file is locked by the other process, as it was before.
            String locked = url.replace(";AUTO_SERVER=TRUE", "");
            assertThatThrownBy(() -> Database.open(new StoreSettings(locked, null, null, 1)).close())
                    .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR));

            try (Database database = Database.open(new StoreSettings(url, null, null, 2))) {
                // Photos between Sessions and AttendanceRecords in the backup's order, so that reading them takes a while.
                byte[] photo = DevData.bytes("angelina_jolie/09.jpg");
                for (int i = 0; i < 30; i++) {
                    database.access().jdbc().sql("INSERT INTO FaceData (PersonType, PersonCode, ImageData) VALUES ('student', 'S001', ?)")
                            .param(photo).update();
                }
                long before = sessions(database);

                Path file = dir.resolve("while-writing.rcbackup");
                new DatabaseBackup(database.access(), Clock.systemUTC(), 1_000)
                        .write(file, BackupKey.of("correct horse battery staple"), BackupOptions.EVERYTHING);
                long after = sessions(database);

                RestoreReport content = new DatabaseRestore(database.access())
                        .check(file, BackupKey.of("correct horse battery staple"));
                long sessions = content.tables().get("Sessions").inBackup();
                long attendance = content.tables().get("AttendanceRecords").inBackup();
                assertThat(attendance).as("attendance rows in the snapshot").isEqualTo(sessions);
                assertThat(sessions).isBetween(before, after);
                assertThat(after).as("the other process wrote during the backup").isGreaterThan(sessions);
                assertThat(content.tables().get("FaceData").inBackup()).isEqualTo(30);
                assertThat(Files.size(file)).isGreaterThan(30L * photo.length);
            }
        } finally {
            writer.destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The port H2 names in its lock file answers on 127.0.0.1 and refuses on this machine's network addresses. */
    private void theOtherProcessServesTheDatabaseOnLoopbackOnly() throws Exception {
        Properties lock = new Properties();
        try (var in = Files.newInputStream(dir.resolve("db/rollcall.lock.db"))) {
            lock.load(in);
        }
        int port = Integer.parseInt(lock.getProperty("server").replaceFirst("^.*:", ""));
        try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(loopback.isConnected()).isTrue();
        }
        List<InetAddress> network = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList();
        assertThat(network).as("a network address to try").isNotEmpty();
        for (InetAddress address : network) {
            assertThatThrownBy(() -> new Socket(address, port).close()).as(address.toString())
                    .isInstanceOf(ConnectException.class);
        }
    }

    private static long sessions(Database database) {
        List<Long> n = database.access().jdbc().sql("SELECT COUNT(*) FROM Sessions").query(Long.class).list();
        return n.getFirst();
    }
}

package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A database that is down must fail fast with DATABASE_ERROR, never hang and never leak the password. */
class DatabaseOutageTest {

    /** The 3 s connection timeout plus room for a loaded build machine. */
    private static final Duration FAST = Duration.ofSeconds(8);

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:mariadb://127.0.0.1:%d/school", "jdbc:mysql://127.0.0.1:%d/school",
            "jdbc:sqlserver://127.0.0.1:%d;databaseName=school;encrypt=false", "jdbc:h2:tcp://127.0.0.1:%d/mem:school"})
    void openingAClosedPortFailsQuicklyWithDatabaseError(String urlPattern) throws IOException {
        StoreSettings settings = new StoreSettings(urlPattern.formatted(closedPort()), "rollcall", "Hunter2", 5);
        long started = System.nanoTime();

        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                    assertThat(e.getMessage()).startsWith("Cannot connect to the database at ").doesNotContain("Hunter2");
                    assertThat(e.getCause()).isNotNull();
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
    }

    @Test
    void aRepositoryCallDuringAnOutageFailsWithinTheConnectionTimeout() throws IOException {
        StoreSettings settings = new StoreSettings("jdbc:mariadb://127.0.0.1:" + closedPort() + "/school", "rollcall", null, 5);
        try (HikariDataSource pool = Database.createDataSource(settings, false)) {
            FaceRepository faces = new FaceRepository(new DatabaseAccess(pool));
            long started = System.nanoTime();

            assertThatThrownBy(() -> faces.countSamples(PersonRef.student("S001")))
                    .isInstanceOfSatisfying(RollcallException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                        assertThat(e.details()).containsEntry("operation", "count face samples");
                        assertThat(e.getCause()).isNotNull();
                    });
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(Database.CONNECTION_TIMEOUT_MS - 100)).isLessThan(FAST);

            assertThatThrownBy(() -> new AttendanceRecorderProbe(pool).write())
                    .isInstanceOfSatisfying(RollcallException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR));
        }
    }

    /** A write path too: the transaction manager fails before any SQL runs. */
    private record AttendanceRecorderProbe(HikariDataSource pool) {
        void write() {
            new PersonRepository(new DatabaseAccess(pool)).createIfMissing(PersonRef.student("S001"), "Ann");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

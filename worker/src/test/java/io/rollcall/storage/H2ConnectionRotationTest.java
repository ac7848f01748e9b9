package io.rollcall.storage;

import io.rollcall.worker.WorkerConfig;
import java.time.ZoneId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rollcall.attendance.AttendanceOutcome;
import io.rollcall.attendance.AttendanceRecorder;
import io.rollcall.attendance.AttendanceSettings;
import io.rollcall.person.PersonRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The embedded default (an H2 file database) keeps accepting writes after HikariCP retires the connection that ran
 * the migrations while other connections stay open: maxLifetime does exactly that, 30 minutes after start.
 *
 * <p>H2 2.4.240 evaluates {@code CHECK (col IN ('a', 'b'))} through a sorted set whose comparator is the session
 * that created the constraint; once that session is closed every insert fails with 23514 "Check constraint
 * invalid", caused by 90098 "The database has been closed". Reopening the database re-creates the constraints in
 * a session that lives as long as the database, which is why a restart hid it.
 */
class H2ConnectionRotationTest {

    private static final LocalDateTime START = LocalDateTime.of(2026, 3, 2, 8, 0);
    /** H2's CHECK_CONSTRAINT_VIOLATED_1: the value is outside the constraint. */
    private static final int CHECK_VIOLATED = 23513;

    @TempDir
    Path dataDir;

    @Test
    void aFreshDatabaseStoresFacesAndAttendanceAfterThePoolRetiresTheConnectionThatMigratedIt() throws SQLException {
        StoreSettings settings = embeddedDefault();
        try (Database database = Database.open(settings);
             Connection bystander = DriverManager.getConnection(settings.jdbcUrl())) {
            retirePooledConnections(database, bystander);

            writeThroughEveryRepository(database);
        }
    }

    @ParameterizedTest(name = "last migrated to V{0}")
    @ValueSource(strings = {"2", "4"})
    void aDatabaseMigratedByAnEarlierVersionIsRepairedByTheNextStart(String lastVersion) throws SQLException {
        StoreSettings settings = embeddedDefault();
        try (HikariDataSource earlier = Database.createDataSource(settings, true)) {
            Flyway.configure().configuration(SchemaMigrations.configure(earlier, DatabaseVendor.H2).getConfiguration())
                    .target(lastVersion).load().migrate();
            JdbcClient.create(earlier).sql("INSERT INTO FaceData (PersonType, PersonCode) VALUES ('teacher', 'T01')").update();
        } // the last connection closes, and H2 closes the database with it

        try (Database database = Database.open(settings);
             Connection bystander = DriverManager.getConnection(settings.jdbcUrl())) {
            retirePooledConnections(database, bystander);

            writeThroughEveryRepository(database);
            assertThat(JdbcClient.create(database.dataSource()).sql("SELECT COUNT(*) FROM FaceData WHERE PersonCode = 'T01'")
                    .query(Integer.class).single()).as("the earlier row is kept").isEqualTo(1);
        }
    }

    @Test
    void theSchemasOnlyChecksAreTheSpecsTwoInAFormNoSessionOwnsAndStillAllowExactlyTheSpecsValues() throws SQLException {
        StoreSettings settings = embeddedDefault();
        try (Database database = Database.open(settings);
             Connection bystander = DriverManager.getConnection(settings.jdbcUrl())) {
            assertThat(checkClauses(bystander)).containsExactlyInAnyOrder(
                    "ATTENDANCERECORDS: \"STATUS\" = ANY(ARRAY ['Present', 'Absent', 'Late'])",
                    "FACEDATA: \"PERSONTYPE\" = ANY(ARRAY ['student', 'teacher'])");
            retirePooledConnections(database, bystander);
            long session = newSession(database);

            try (Connection c = database.dataSource().getConnection()) {
                for (String type : new String[] {"student", "teacher", null}) {
                    assertThat(insertFace(c, type)).as(String.valueOf(type)).isEqualTo(1);
                }
                for (String status : new String[] {"Present", "Absent", "Late", null}) {
                    assertThat(insertAttendance(c, session, status)).as(String.valueOf(status)).isEqualTo(1);
                }
                assertThatThrownBy(() -> insertFace(c, "parent")).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(CHECK_VIOLATED));
                assertThatThrownBy(() -> insertFace(c, "Student")).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(CHECK_VIOLATED));
                assertThatThrownBy(() -> insertAttendance(c, session, "Excused")).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(CHECK_VIOLATED));
            }
        }
    }

    /** The default deployment's database: {@code DATA_DIR/db/rollcall}, no other variable set. */
    private StoreSettings embeddedDefault() {
        return WorkerConfig.from(Map.of("DATA_DIR", dataDir.toString()), null).store();
    }

    /** Enrollment, person creation, attendance (new and upgraded), recognition logs and named locks. */
    private static void writeThroughEveryRepository(Database database) {
        FaceRepository faces = new FaceRepository(database.access());
        assertThat(faces.insert(new NewFaceSample(PersonRef.student("S001"), new byte[] {1, 2, 3},
                TestEmbeddings.buffaloL(1), "ann.jpg", "image/jpeg"))).isPositive();
        assertThat(faces.insert(new NewFaceSample(PersonRef.teacher("T02"), null, TestEmbeddings.buffaloL(2), null, null)))
                .isPositive();
        assertThat(new PersonRepository(database.access()).createIfMissing(PersonRef.student("S001"), "Ann Lee")).isTrue();

        long session = newSession(database);
        AttendanceRecorder recorder = new AttendanceRecorder(database.access(), new AttendanceSettings(Duration.ofMinutes(10), ZoneId.systemDefault()));
        assertThat(recorder.record(recorder.requireSession(session), "S001", START.plusMinutes(3)).outcome()).isEqualTo(AttendanceOutcome.RECORDED);
        JdbcClient.create(database.dataSource())
                .sql("INSERT INTO AttendanceRecords (SessionId, StudentCode, Status) VALUES (?, 'S002', 'Absent')")
                .param(session).update();
        assertThat(recorder.record(recorder.requireSession(session), "S002", START.plusMinutes(20)).outcome())
                .isEqualTo(AttendanceOutcome.UPGRADED_FROM_ABSENT);

        assertThat(new RecognitionLogRepository(database.access()).insert(new RecognitionLogEntry(
                "e6f5a1c2-0000-4000-8000-000000000001", PersonRef.student("S001"), 0.91, 120, "scan.jpg",
                START.plusMinutes(3), true))).isTrue();
    }

    /**
     * Closes every connection the pool holds now, as maxLifetime does one at a time, while {@code bystander} keeps
     * the database open (as the pool's younger connections do); returns once H2 has ended their sessions, which
     * Hikari closes on a thread of its own.
     */
    private static void retirePooledConnections(Database database, Connection bystander) throws SQLException {
        Set<Long> pooled = sessionIds(bystander);
        pooled.remove(ownSessionId(bystander));
        assertThat(pooled).as("the pool's connections, the one that migrated among them").isNotEmpty();

        ((HikariDataSource) database.dataSource()).getHikariPoolMXBean().softEvictConnections();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!stillOpen(pooled, bystander).isEmpty() && System.nanoTime() < deadline) {
            sleep();
        }
        assertThat(stillOpen(pooled, bystander)).as("sessions of the retired connections").isEmpty();
    }

    /** Every CHECK constraint of the schema, as {@code TABLE: clause}. */
    private static List<String> checkClauses(Connection c) throws SQLException {
        List<String> clauses = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT t.TABLE_NAME, k.CHECK_CLAUSE FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS t
                JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS k
                  ON k.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = t.CONSTRAINT_NAME
                WHERE t.TABLE_SCHEMA = CURRENT_SCHEMA""")) {
            while (rs.next()) {
                clauses.add(rs.getString(1) + ": " + rs.getString(2));
            }
        }
        return clauses;
    }

    private static Set<Long> stillOpen(Set<Long> sessions, Connection bystander) throws SQLException {
        Set<Long> open = sessionIds(bystander);
        open.retainAll(sessions);
        return open;
    }

    private static Set<Long> sessionIds(Connection c) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static long ownSessionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SESSION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long newSession(Database database) {
        JdbcClient sql = JdbcClient.create(database.dataSource());
        sql.sql("INSERT INTO Sessions (Name, Form, StartTime) VALUES ('Maths', '10A', ?)").param(START).update();
        return sql.sql("SELECT MAX(Id) FROM Sessions").query(Long.class).single();
    }

    private static int insertFace(Connection c, String personType) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO FaceData (PersonType, PersonCode) VALUES (?, 'X1')")) {
            ps.setString(1, personType);
            return ps.executeUpdate();
        }
    }

    private static int insertAttendance(Connection c, long session, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO AttendanceRecords (SessionId, StudentCode, Status) VALUES (?, 'X1', ?)")) {
            ps.setLong(1, session);
            ps.setString(2, status);
            return ps.executeUpdate();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

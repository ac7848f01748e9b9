package io.rollcall.attendance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.testing.TestDatabase;
import java.time.Duration;
import java.time.ZoneId;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class AttendanceRecorderTest {

    private static final LocalDateTime START = LocalDateTime.of(2026, 3, 2, 8, 0, 0);

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;
    private AttendanceRecorder recorder;
    private long session;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.migrated(kind);
        recorder = new AttendanceRecorder(db.access(), new AttendanceSettings(Duration.ofMinutes(10), ZoneId.systemDefault()));
        session = newSession(START);
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null when the database was not available and the test was skipped
            db.close();
        }
    }

    @Test
    void marksAStudentPresentUpToTheLastSecondOfTheGracePeriod() {
        AttendanceMark mark = mark(session, "S001", START.plusMinutes(10));

        assertThat(mark.outcome()).isEqualTo(AttendanceOutcome.RECORDED);
        assertThat(mark.status()).isEqualTo(AttendanceStatus.PRESENT);
        assertThat(mark.newlyRecorded()).isTrue();
        assertThat(records()).containsExactly(mark.attendanceRecordId() + " S001 Present " + START.plusMinutes(10));
    }

    @Test
    void marksAStudentLateOneSecondAfterTheGracePeriod() {
        AttendanceMark mark = mark(session, "S002", START.plusMinutes(10).plusSeconds(1));

        assertThat(mark.outcome()).isEqualTo(AttendanceOutcome.RECORDED);
        assertThat(mark.status()).isEqualTo(AttendanceStatus.LATE);
        assertThat(records()).containsExactly(mark.attendanceRecordId() + " S002 Late " + START.plusMinutes(10).plusSeconds(1));
    }

    @Test
    void marksAnEarlyArrivalPresent() {
        assertThat(mark(session, "S003", START.minusMinutes(5)).status()).isEqualTo(AttendanceStatus.PRESENT);
    }

    @Test
    void recordsAStudentOnceAndThenReportsTheExistingStatus() {
        AttendanceMark first = mark(session, "S001", START.plusMinutes(2));
        AttendanceMark again = mark(session, "S001   ", START.plusMinutes(40));

        assertThat(again).isEqualTo(new AttendanceMark(AttendanceOutcome.ALREADY_MARKED, AttendanceStatus.PRESENT, first.attendanceRecordId(), START.plusMinutes(40)));
        assertThat(again.newlyRecorded()).isFalse();
        assertThat(records()).hasSize(1);
    }

    @Test
    void keepsAStudentSeparatePerSession() {
        long afternoon = newSession(START.plusHours(5));

        mark(session, "S001", START.plusMinutes(1));
        AttendanceMark other = mark(afternoon, "S001", START.plusHours(5).plusMinutes(30));

        assertThat(other.outcome()).isEqualTo(AttendanceOutcome.RECORDED);
        assertThat(other.status()).isEqualTo(AttendanceStatus.LATE);
        assertThat(records()).hasSize(2);
    }

    @Test
    void honoursAMarkTheSchoolAlreadyWrote() {
        long existing = insertRecord("S002", "Late");

        AttendanceMark mark = mark(session, "S002", START.plusMinutes(1));

        assertThat(mark).isEqualTo(new AttendanceMark(AttendanceOutcome.ALREADY_MARKED, AttendanceStatus.LATE, existing, START.plusMinutes(1)));
        assertThat(records()).hasSize(1);
    }

    @Test
    void turnsAPrefilledAbsentIntoTheStatusOfTheRecognition() {
        long absent = insertRecord("S003", "Absent");

        AttendanceMark mark = mark(session, "S003", START.plusMinutes(25));

        assertThat(mark).isEqualTo(new AttendanceMark(AttendanceOutcome.UPGRADED_FROM_ABSENT, AttendanceStatus.LATE, absent, START.plusMinutes(25)));
        assertThat(records()).containsExactly(absent + " S003 Late " + START.plusMinutes(25));
        assertThat(mark(session, "S003", START.plusMinutes(26)).outcome())
                .isEqualTo(AttendanceOutcome.ALREADY_MARKED);
    }

    @Test
    void recordsAgainWhenTheSchoolDeletedTheRecord() {
        AttendanceMark first = mark(session, "S001", START.plusMinutes(1));
        db.sql().sql("DELETE FROM AttendanceRecords WHERE Id = ?").param(first.attendanceRecordId()).update();

        AttendanceMark second = mark(session, "S001", START.plusMinutes(3));

        assertThat(second.outcome()).isEqualTo(AttendanceOutcome.RECORDED);
        assertThat(records()).hasSize(1);
    }

    @Test
    void rejectsAnUnknownSessionAsAValidationError() {
        assertThatThrownBy(() -> mark(session + 99, "S001", START))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo("No session with id " + (session + 99));
                    assertThat(e.details()).isEqualTo(Map.of("field", "session_id", "session_id", session + 99));
                });
        assertThatThrownBy(() -> mark(session, "S0000000001", START))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).isEqualTo(Map.of("field", "student_code"));
                });
        assertThat(records()).isEmpty();
    }

    @Test
    void concurrentRecognitionsOfOneStudentWriteExactlyOneRecord() throws Exception {
        int threads = 8;
        int rounds = 10; // one student per round: a race that slips through once in a while still shows
        for (int round = 0; round < rounds; round++) {
            String student = "S4" + round;
            List<AttendanceMark> marks = runConcurrently(threads, i -> mark(session, student, START.plusMinutes(i)));

            Map<AttendanceOutcome, Long> outcomes = marks.stream()
                    .collect(Collectors.groupingBy(AttendanceMark::outcome, Collectors.counting()));
            assertThat(outcomes).isEqualTo(Map.of(AttendanceOutcome.RECORDED, 1L, AttendanceOutcome.ALREADY_MARKED, 7L));
            assertThat(marks).extracting(AttendanceMark::attendanceRecordId)
                    .containsOnly(marks.getFirst().attendanceRecordId());
        }
        assertThat(records()).hasSize(rounds);
    }

    @Test
    void concurrentRecognitionsOfAClassWriteOneRecordPerStudent() throws Exception {
        int students = 5;
        int perStudent = 6;
        List<AttendanceMark> marks = runConcurrently(students * perStudent,
                i -> mark(session, "S5" + (i % students), START.plusMinutes(1)));

        assertThat(marks).filteredOn(AttendanceMark::newlyRecorded).hasSize(students);
        assertThat(records()).hasSize(students);
    }

    private List<AttendanceMark> runConcurrently(int calls, Function<Integer, AttendanceMark> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            List<Future<AttendanceMark>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(n);
                }));
            }
            start.countDown();
            List<AttendanceMark> marks = new ArrayList<>();
            for (Future<AttendanceMark> f : futures) {
                marks.add(f.get());
            }
            return marks;
        } finally {
            pool.shutdownNow();
        }
    }

    private long newSession(LocalDateTime start) {
        db.sql().sql("INSERT INTO Sessions (Name, Form, StartTime, EndTime) VALUES (?, ?, ?, ?)")
                .params("Maths", "10A", start, start.plusHours(1)).update();
        return db.sql().sql("SELECT MAX(Id) FROM Sessions").query(Long.class).single();
    }

    private long insertRecord(String code, String status) {
        db.sql().sql("INSERT INTO AttendanceRecords (SessionId, StudentCode, Status, AttendanceDate) VALUES (?, ?, ?, ?)")
                .params(session, code, status, START).update();
        return db.sql().sql("SELECT MAX(Id) FROM AttendanceRecords").query(Long.class).single();
    }

    /** Every record as "id code status date". */
    private List<String> records() {
        return db.sql().sql("SELECT Id, StudentCode, Status, AttendanceDate FROM AttendanceRecords ORDER BY Id")
                .query((rs, i) -> rs.getLong(1) + " " + rs.getString(2).strip() + " " + rs.getString(3) + " "
                        + rs.getObject(4, LocalDateTime.class))
                .list();
    }

    /** Records as a recognition does: the session read once, then the mark. */
    private AttendanceMark mark(long sessionId, String studentCode, LocalDateTime at) {
        return recorder.record(recorder.requireSession(sessionId), studentCode, at);
    }
}

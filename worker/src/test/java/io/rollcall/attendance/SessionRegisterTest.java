package io.rollcall.attendance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.storage.PersonRepository;
import io.rollcall.testing.TestDatabase;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The office's view of attendance, on every database the tests reach (the same SQL runs on all). */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class SessionRegisterTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;
    private SessionRegister register;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.migrated(kind);
        AttendanceRecorder recorder = new AttendanceRecorder(db.access(), new AttendanceSettings(Duration.ofMinutes(10), ZoneId.systemDefault()));
        register = new SessionRegister(db.access(), new PersonRepository(db.access()), recorder);
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void listsTheSessionsThatStartOnTheDayByStartTimeWithTheirRecordCounts() {
        session(DAY.minusDays(1).atTime(23, 59, 59));
        long afternoon = session(DAY.atTime(13, 0));
        long morning = session(DAY.atStartOfDay());
        session(DAY.plusDays(1).atStartOfDay());
        record(morning, "S001", "Present", DAY.atTime(0, 3));
        record(morning, "S002", "Late", DAY.atTime(0, 20));

        SessionRegister.Day day = register.day(DAY);

        assertThat(day.sessions()).containsExactly(
                new SessionRegister.SessionDay(morning, DAY.atStartOfDay(), 2),
                new SessionRegister.SessionDay(afternoon, DAY.atTime(13, 0), 0));
        assertThat(day.truncated()).isFalse();
        assertThat(register.day(DAY.plusDays(2)).sessions()).isEmpty();
    }

    @Test
    void readsASessionsRecordsInTheOrderTheyWereWrittenWithTheStudentsNames() {
        long session = session(DAY.atTime(8, 0));
        db.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES (?, ?)").params("S001", "Ama Mensah").update();
        record(session, "S001", "Late", DAY.atTime(8, 12));
        record(session, "S009", "Absent", null);

        SessionRegister.Register r = register.register(session);

        assertThat(r.session()).isEqualTo(new Session(session, DAY.atTime(8, 0)));
        assertThat(r.records()).containsExactly(
                new SessionRegister.Entry("S001", "Ama Mensah", "Late", DAY.atTime(8, 12)),
                new SessionRegister.Entry("S009", null, "Absent", null));
        assertThat(r.truncated()).isFalse();
    }

    @Test
    void anUnknownSessionIsNotFound() {
        assertThatThrownBy(() -> register.register(404))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("No session with id 404");
                });
    }

    private long session(LocalDateTime start) {
        db.sql().sql("INSERT INTO Sessions (Name, StartTime) VALUES (?, ?)").params("Maths", start).update();
        return db.sql().sql("SELECT MAX(Id) FROM Sessions").query(Long.class).single();
    }

    private void record(long session, String code, String status, LocalDateTime at) {
        db.sql().sql("INSERT INTO AttendanceRecords (SessionId, StudentCode, Status, AttendanceDate) VALUES (?, ?, ?, ?)")
                .params(session, code, status, at).update();
    }
}

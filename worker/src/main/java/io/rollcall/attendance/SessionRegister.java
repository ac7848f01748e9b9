package io.rollcall.attendance;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.PersonRepository;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the school office reads back: the sessions of a day and who was recorded in one, from the school's
 * {@code Sessions} and {@code AttendanceRecords}. Only {@code Sessions.Id} and {@code StartTime} are read, as
 * {@link AttendanceRecorder} reads them, so a school's own {@code Sessions} table works whatever else it holds.
 * Each answer is bounded; a longer one says it was cut.
 */
public final class SessionRegister {
    /** Far more sessions than a school holds in a day; bounds one answer. */
    static final int MAX_SESSIONS = 500;
    /** Far more records than one session of a school has (a whole-school assembly of 3,000 fits). */
    static final int MAX_RECORDS = 5_000;

    private final DatabaseAccess db;
    private final PersonRepository persons;
    private final AttendanceRecorder sessions;

    public SessionRegister(DatabaseAccess db, PersonRepository persons, AttendanceRecorder sessions) {
        this.db = Objects.requireNonNull(db, "db");
        this.persons = Objects.requireNonNull(persons, "persons");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /** A session and how many attendance records it has. @param startTime school-local */
    public record SessionDay(long id, LocalDateTime startTime, int records) {
    }

    /** The sessions of a day. */
    public record Day(List<SessionDay> sessions, boolean truncated) {
    }

    /** One attendance record. @param studentName null when the school has no row for the code */
    public record Entry(String studentCode, String studentName, String status, LocalDateTime recordedAt) {
    }

    /** One session's records, in the order they were written. */
    public record Register(Session session, List<Entry> records, boolean truncated) {
    }

    /** The sessions that start on {@code day} (school-local, as {@code StartTime}), by start time. */
    public Day day(LocalDate day) {
        List<SessionDay> found = db.read("list a day's sessions", () -> db.jdbc()
                .sql("SELECT s.Id, s.StartTime, (SELECT COUNT(*) FROM AttendanceRecords a WHERE a.SessionId = s.Id)"
                        + " FROM Sessions s WHERE s.StartTime >= ? AND s.StartTime < ? ORDER BY s.StartTime, s.Id")
                .params(day.atStartOfDay(), day.plusDays(1).atStartOfDay())
                .withMaxRows(MAX_SESSIONS + 1)
                .query((rs, i) -> new SessionDay(rs.getLong(1), rs.getObject(2, LocalDateTime.class), rs.getInt(3)))
                .list());
        return new Day(found.stream().limit(MAX_SESSIONS).toList(), found.size() > MAX_SESSIONS);
    }

    /** @throws RollcallException {@code NOT_FOUND} when no session has that id */
    public Register register(long sessionId) {
        Session session = sessions.findSession(sessionId).orElseThrow(() -> new RollcallException(ErrorCode.NOT_FOUND,
                "No session with id " + sessionId, Map.of("session_id", sessionId)));
        record Row(String code, String status, LocalDateTime at) {
        }
        List<Row> rows = db.read("read a session's attendance", () -> db.jdbc()
                .sql("SELECT StudentCode, Status, AttendanceDate FROM AttendanceRecords WHERE SessionId = ? ORDER BY Id")
                .param(sessionId)
                .withMaxRows(MAX_RECORDS + 1)
                .query((rs, i) -> new Row(rs.getString(1).strip(), rs.getString(2), rs.getObject(3, LocalDateTime.class)))
                .list());
        List<Row> shown = rows.stream().limit(MAX_RECORDS).toList();
        // A code the school wrote that is no valid code has no name to look up; its record is still shown.
        Map<PersonRef, String> names = persons.names(shown.stream().map(r -> student(r.code())).flatMap(Optional::stream).toList());
        List<Entry> entries = shown.stream()
                .map(r -> new Entry(r.code(), student(r.code()).map(names::get).orElse(null), r.status(), r.at()))
                .toList();
        return new Register(session, entries, rows.size() > MAX_RECORDS);
    }

    private static Optional<PersonRef> student(String code) {
        try {
            return Optional.of(PersonRef.student(code));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package io.rollcall.attendance;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import io.rollcall.storage.DatabaseAccess;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Marks a recognised student in {@code AttendanceRecords}: Present or Late by the session's start time and the
 * grace period, at most once per student and session.
 *
 * <h2>Once per student and session</h2>
 * The school's {@code AttendanceRecords} has no unique key on (session, student), and its existing data may
 * already repeat a pair, so adding a unique index could fail on the school's data or break the Node.js system's
 * own inserts. Instead each call holds a lock named after the pair ({@link DatabaseAccess#writeExclusively}, a
 * primary-key row in Rollcall's own {@code RollcallLocks}) while it checks for a record and writes one. Calls for
 * the same pair, from any thread or worker, run one after the other, so the second sees the first's row. The
 * school's table stays the truth: a record the school deleted is written again on the next recognition, and a
 * record the Node.js system wrote is honoured (that system does not take the lock, so a write of its racing
 * ours in the same milliseconds is the one case not excluded).
 */
public final class AttendanceRecorder {

    private final DatabaseAccess db;
    private final AttendanceSettings settings;

    public AttendanceRecorder(DatabaseAccess db, AttendanceSettings settings) {
        this.db = Objects.requireNonNull(db, "db");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The session a request names, read once per request: the same row decides whether the request is valid and,
     * once a student is recognised, whether they are Present or Late.
     *
     * @throws RollcallException VALIDATION_ERROR for an unknown session; DATABASE_ERROR when the database fails
     */
    public Session requireSession(long sessionId) {
        return findSession(sessionId).orElseThrow(() -> unknownSession(sessionId));
    }

    public Optional<Session> findSession(long sessionId) {
        return db.read("find a session", () -> db.jdbc()
                .sql("SELECT Id, StartTime FROM Sessions WHERE Id = ?")
                .param(sessionId)
                .query((rs, i) -> new Session(rs.getLong(1), rs.getObject(2, LocalDateTime.class)))
                .optional());
    }

    /**
     * Records that the student was recognised at {@code recognizedAt} during the session.
     *
     * @param session      the session as {@link #requireSession} read it for this request
     * @param recognizedAt school-local time, the same clock as {@code Sessions.StartTime}
     * @throws RollcallException VALIDATION_ERROR for a session without a start time, one deleted meanwhile, or a
     *                           malformed student code (the request names something that does not exist or cannot
     *                           be: the caller must correct it, as with any other field); DATABASE_ERROR when the
     *                           database fails
     */
    public AttendanceMark record(Session session, String studentCode, LocalDateTime recognizedAt) {
        Objects.requireNonNull(recognizedAt, "recognizedAt");
        PersonRef student = student(studentCode);
        long sessionId = session.id();
        if (session.startTime() == null) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR,
                    "Session " + sessionId + " has no start time, so Present and Late cannot be told apart",
                    Map.of("field", "session_id", "session_id", sessionId));
        }
        AttendanceStatus status = settings.statusFor(session.startTime(), recognizedAt);
        String lockKey = "attendance:" + sessionId + ":" + student.code();
        return db.writeExclusively("record attendance", lockKey,
                () -> markOnce(sessionId, student.code(), status, recognizedAt));
    }

    /** Runs under the pair's lock, inside the transaction. */
    private AttendanceMark markOnce(long sessionId, String code, AttendanceStatus status, LocalDateTime at) {
        record Existing(long id, AttendanceStatus status) {
        }
        List<Existing> existing = db.jdbc()
                .sql("SELECT Id, Status FROM AttendanceRecords WHERE SessionId = ? AND StudentCode = ? ORDER BY Id")
                .params(sessionId, code)
                .query((rs, i) -> new Existing(rs.getLong(1), AttendanceStatus.fromDatabaseValue(rs.getString(2))))
                .list();
        Optional<Existing> marked = existing.stream().filter(e -> e.status() != AttendanceStatus.ABSENT).findFirst();
        if (marked.isPresent()) {
            return new AttendanceMark(AttendanceOutcome.ALREADY_MARKED, marked.get().status(), marked.get().id(), at);
        }
        if (!existing.isEmpty()) {
            long id = existing.getFirst().id();
            db.jdbc().sql("UPDATE AttendanceRecords SET Status = ?, AttendanceDate = ? WHERE Id = ?")
                    .params(status.databaseValue(), at, id)
                    .update();
            return new AttendanceMark(AttendanceOutcome.UPGRADED_FROM_ABSENT, status, id, at);
        }
        try {
            long id = db.insertReturningId(
                    "INSERT INTO AttendanceRecords (SessionId, StudentCode, Status, AttendanceDate) VALUES (?, ?, ?, ?)",
                    List.of(sessionId, code, status.databaseValue(), at));
            return new AttendanceMark(AttendanceOutcome.RECORDED, status, id, at);
        } catch (DataIntegrityViolationException e) {
            // The foreign key to Sessions: the session was deleted after we read it.
            if (findSession(sessionId).isEmpty()) {
                throw unknownSession(sessionId);
            }
            throw e;
        }
    }

    private static PersonRef student(String code) {
        try {
            return PersonRef.student(code);
        } catch (IllegalArgumentException e) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "student_code: " + e.getMessage(),
                    Map.of("field", "student_code"));
        }
    }

    private static RollcallException unknownSession(long sessionId) {
        return new RollcallException(ErrorCode.VALIDATION_ERROR, "No session with id " + sessionId,
                Map.of("field", "session_id", "session_id", sessionId));
    }
}

package io.rollcall.storage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * {@code FaceRecognitionLogs}: one row per recognition event, written at most once per {@code EventId}.
 *
 * <p>Events arrive from a topic with at-least-once delivery, so the same event can be written twice (a worker
 * restarts before committing its offset). The unique index on {@code EventId} turns the second insert into a
 * constraint violation, which this repository reports as "already written" rather than an error.
 */
public final class RecognitionLogRepository {

    private final DatabaseAccess db;

    public RecognitionLogRepository(DatabaseAccess db) {
        this.db = db;
    }

    /** Writes the entry unless its event id is already there. @return true when a row was written */
    public boolean insert(RecognitionLogEntry entry) {
        List<Object> params = Arrays.asList(
                entry.eventId(),
                DatabaseAccess.nullable(Types.VARCHAR, entry.person() == null ? null : entry.person().code()),
                DatabaseAccess.nullable(Types.VARCHAR, entry.person() == null ? null : entry.person().type().wireName()),
                DatabaseAccess.nullable(Types.DECIMAL, entry.confidence() == null ? null
                        : BigDecimal.valueOf(entry.confidence()).setScale(4, RoundingMode.HALF_UP)),
                DatabaseAccess.nullable(Types.INTEGER, entry.processingTimeMs()),
                DatabaseAccess.nullable(Types.VARCHAR, entry.sourceImageName()),
                entry.recognizedAt(),
                entry.success());
        return db.write("write a recognition log entry", () -> {
            try {
                db.jdbc().sql("""
                        INSERT INTO FaceRecognitionLogs (EventId, PersonCode, PersonType, Confidence, ProcessingTimeMs,
                                                         SourceImageName, RecognitionDate, Success)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""").params(params).update();
                return true;
            } catch (DataIntegrityViolationException e) {
                // Every driver reports the unique-index conflict differently; what matters is whether the row exists.
                if (exists(entry.eventId())) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Whether an entry with this event id has been written. */
    public boolean exists(String eventId) {
        return db.read("look up a recognition log entry", () -> db.jdbc()
                .sql("SELECT COUNT(*) FROM FaceRecognitionLogs WHERE EventId = ?")
                .param(eventId)
                .query(Integer.class)
                .single() > 0);
    }
}

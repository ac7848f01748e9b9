package io.rollcall.storage;

import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * {@code RollcallShadowOutcomes}: the recognitions a shadow candidate ran again, from every worker (the log writer
 * inserts each event once, by its id), and the comparison computed from them by the database.
 */
public final class ShadowOutcomeRepository {
    /** Similarity histograms in tenths; a score of exactly 1 counts in the last. */
    static final int BUCKETS = 10;
    static final int MAX_REQUEST_ID = 128;
    static final int LISTED_DISAGREEMENTS = 100;

    private final DatabaseAccess db;

    public ShadowOutcomeRepository(DatabaseAccess db) {
        this.db = db;
    }

    /** One shadow recognition; similarities null where the pack matched nobody. */
    public record Row(String eventId, String runId, String requestId, boolean agreed, Double activeSimilarity, int activeMs,
                      Double candidateSimilarity, int candidateMs, LocalDateTime recordedAt) {
    }

    /** The comparison of one run. @param p50 null with no rows */
    public record Comparison(long recognitions, long agreements, List<String> disagreementRequestIds, Double activeP50Ms,
                             Double candidateP50Ms, long[] activeScores, long[] candidateScores, long activeUnmatched,
                             long candidateUnmatched) {
    }

    /** Writes the row unless its event id is already there. */
    public void insert(Row r) {
        String requestId = r.requestId().length() > MAX_REQUEST_ID ? r.requestId().substring(0, MAX_REQUEST_ID) : r.requestId();
        List<Object> params = Arrays.asList(r.eventId(), r.runId(), requestId, r.agreed(),
                DatabaseAccess.nullable(Types.DOUBLE, r.activeSimilarity()), r.activeMs(),
                DatabaseAccess.nullable(Types.DOUBLE, r.candidateSimilarity()), r.candidateMs(), r.recordedAt());
        db.write("write a shadow outcome", () -> {
            try {
                db.jdbc().sql("INSERT INTO RollcallShadowOutcomes (EventId, RunId, RequestId, Agreed, ActiveSimilarity, ActiveMs,"
                        + " CandidateSimilarity, CandidateMs, RecordedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").params(params).update();
            } catch (DataIntegrityViolationException e) {
                if (db.jdbc().sql("SELECT COUNT(*) FROM RollcallShadowOutcomes WHERE EventId = ?").param(r.eventId())
                        .query(Integer.class).single() == 0) {
                    throw e;
                }
            }
            return null;
        });
    }

    public Comparison comparison(String runId) {
        return db.read("compare the shadow candidate", () -> {
            long[] counts = db.jdbc().sql("SELECT COUNT(*), COALESCE(SUM(CASE WHEN Agreed = ? THEN 1 ELSE 0 END), 0),"
                            + " COALESCE(SUM(CASE WHEN ActiveSimilarity IS NULL THEN 1 ELSE 0 END), 0),"
                            + " COALESCE(SUM(CASE WHEN CandidateSimilarity IS NULL THEN 1 ELSE 0 END), 0)"
                            + " FROM RollcallShadowOutcomes WHERE RunId = ?")
                    .params(true, runId)
                    .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).single();
            DatabaseVendor vendor = db.vendor();
            List<Object> paging = new ArrayList<>(List.of(runId, false));
            paging.addAll(List.of(vendor.pagingParameters(0, LISTED_DISAGREEMENTS)));
            List<String> disagreements = db.jdbc().sql("SELECT RequestId FROM RollcallShadowOutcomes WHERE RunId = ? AND Agreed = ?"
                    + " ORDER BY RecordedAt DESC, EventId " + vendor.pagingClause()).params(paging).query(String.class).list();
            return new Comparison(counts[0], counts[1], disagreements, median(runId, "ActiveMs", counts[0]),
                    median(runId, "CandidateMs", counts[0]), histogram(runId, "ActiveSimilarity"),
                    histogram(runId, "CandidateSimilarity"), counts[2], counts[3]);
        });
    }

    /** Deletes an abandoned run's rows. */
    public int deleteRun(String runId) {
        return db.write("delete a shadow run", () -> db.jdbc().sql("DELETE FROM RollcallShadowOutcomes WHERE RunId = ?")
                .param(runId).update());
    }

    /** The lower median, read by the database from the sorted column (one row fetched, whatever the count). */
    private Double median(String runId, String column, long count) {
        if (count == 0) {
            return null;
        }
        DatabaseVendor vendor = db.vendor();
        List<Object> params = new ArrayList<>(List.of(runId));
        params.addAll(List.of(vendor.pagingParameters((count - 1) / 2, 1)));
        return db.jdbc().sql("SELECT " + column + " FROM RollcallShadowOutcomes WHERE RunId = ? ORDER BY " + column + " "
                + vendor.pagingClause()).params(params).query(Double.class).single();
    }

    private long[] histogram(String runId, String column) {
        long[] buckets = new long[BUCKETS];
        db.jdbc().sql("SELECT FLOOR(" + column + " * " + BUCKETS + "), COUNT(*) FROM RollcallShadowOutcomes WHERE RunId = ? AND "
                        + column + " IS NOT NULL GROUP BY FLOOR(" + column + " * " + BUCKETS + ")")
                .param(runId)
                .query((RowCallbackHandler) rs -> {
                    int bucket = (int) Math.max(0, Math.min(BUCKETS - 1, rs.getLong(1)));
                    buckets[bucket] += rs.getLong(2);
                });
        return buckets;
    }
}

package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.person.PersonRef;
import io.rollcall.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class RecognitionLogRepositoryTest {

    private static final String EVENT = "0b9e6c1e-5d6f-4c8e-9a51-2f1d3c4b5a69";
    private static final LocalDateTime AT = LocalDateTime.of(2026, 3, 2, 8, 4, 31);

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;
    private RecognitionLogRepository logs;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.migrated(kind);
        logs = new RecognitionLogRepository(db.access());
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null when the database was not available and the test was skipped
            db.close();
        }
    }

    @Test
    void writesAnEventOnceAndTreatsARedeliveryAsDone() {
        var entry = new RecognitionLogEntry(EVENT, PersonRef.student("S001"), 0.92346, 245, "scan.jpg", AT, true);

        assertThat(logs.insert(entry)).isTrue();
        assertThat(logs.insert(entry)).isFalse();
        assertThat(logs.insert(new RecognitionLogEntry(EVENT, null, null, 1, "other.jpg", AT, false))).isFalse();

        assertThat(logs.exists(EVENT)).isTrue();
        assertThat(db.sql().sql("SELECT PersonCode, PersonType, Confidence, ProcessingTimeMs, SourceImageName,"
                        + " RecognitionDate, Success FROM FaceRecognitionLogs")
                .query((rs, i) -> List.of(rs.getString(1).strip(), rs.getString(2), rs.getBigDecimal(3),
                        rs.getInt(4), rs.getString(5), rs.getObject(6, LocalDateTime.class), rs.getBoolean(7)))
                .list())
                .containsExactly(List.of("S001", "student", new BigDecimal("0.9235"), 245, "scan.jpg", AT, true));
    }

    @Test
    void writesAnAttemptThatMatchedNobody() {
        assertThat(logs.insert(new RecognitionLogEntry(EVENT, null, null, 120, null, AT, false))).isTrue();

        assertThat(db.sql().sql("SELECT COUNT(*) FROM FaceRecognitionLogs WHERE PersonCode IS NULL AND PersonType IS NULL"
                + " AND Confidence IS NULL AND SourceImageName IS NULL AND Success = ?").param(false)
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(logs.exists("never-written")).isFalse();
    }

    @Test
    void concurrentRedeliveriesOfOneEventWriteOneRow() throws Exception {
        int threads = 8;
        var entry = new RecognitionLogEntry(EVENT, PersonRef.teacher("T01"), 0.5, 10, null, AT, true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return logs.insert(entry);
                }));
            }
            start.countDown();
            int written = 0;
            for (Future<Boolean> result : results) {
                written += result.get() ? 1 : 0;
            }
            assertThat(written).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.sql().sql("SELECT COUNT(*) FROM FaceRecognitionLogs").query(Integer.class).single()).isEqualTo(1);
    }
}

package io.rollcall.storage;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way Rollcall's repositories reach the database: a {@link JdbcClient}, write transactions, a row lock
 * that works the same on every supported database, and the single translation of JDBC failures into
 * {@link RollcallException} with {@link ErrorCode#DATABASE_ERROR}. Needs nothing but a {@link DataSource}.
 *
 * <p>Transactions join an enclosing one on the same {@code DataSource} (Spring's {@code PROPAGATION_REQUIRED}),
 * so a caller can make several repository writes atomic by wrapping them in {@link #write}.
 */
public final class DatabaseAccess {
    private static final Logger log = LoggerFactory.getLogger(DatabaseAccess.class);

    /**
     * Every statement is short (one row, or one page); one that runs this long means the database is in trouble,
     * and the caller gets DATABASE_ERROR instead of hanging. It also bounds waits on row locks, which SQL Server
     * would otherwise wait on forever.
     */
    static final int QUERY_TIMEOUT_SECONDS = 30;

    /** Rows fetched per round trip when streaming a large result (drivers that stream in batches). */
    static final int STREAMING_BATCH_ROWS = 500;

    /** The longest key {@link #writeExclusively} accepts: the width of {@code RollcallLocks.LockKey}. */
    public static final int MAX_LOCK_KEY_LENGTH = 64;

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate writeTransaction;
    private final TransactionTemplate lockRowCreation;
    private volatile Dialect dialect;

    /** What a connection told us about the database, learnt once on first use. */
    private record Dialect(DatabaseVendor vendor, int streamingFetchSize) {
    }

    public DatabaseAccess(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        this.jdbc = JdbcClient.create(template);
        this.writeTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // READ COMMITTED everywhere (MySQL defaults to REPEATABLE READ): a check made after taking a lock must see
        // what the previous holder committed, not a snapshot from before the wait.
        this.writeTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.lockRowCreation = new TransactionTemplate(writeTransaction.getTransactionManager());
        this.lockRowCreation.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    /** The database family, asked of the first connection and remembered. */
    public DatabaseVendor vendor() {
        return dialect().vendor();
    }

    /**
     * The fetch size that makes this driver stream a large result instead of buffering all of it: MySQL
     * Connector/J streams only with {@code Integer.MIN_VALUE}; MariaDB Connector/J and H2 take a batch size; the
     * SQL Server driver streams by default (adaptive buffering) and treats the size as a hint.
     */
    public int streamingFetchSize() {
        return dialect().streamingFetchSize();
    }

    /** Runs {@code work} (reads, or a single-statement write) outside a transaction, translating failures. */
    public <T> T read(String operation, Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException | TransactionException e) {
            throw failure(operation, e);
        }
    }

    /**
     * Runs {@code work} in a READ COMMITTED transaction (or inside the caller's), committing when it returns and
     * rolling back when it throws. JDBC failures become DATABASE_ERROR; a {@link RollcallException} thrown by the
     * work passes through unchanged.
     */
    public <T> T write(String operation, Supplier<T> work) {
        try {
            return writeTransaction.execute(status -> work.get());
        } catch (DataAccessException | TransactionException e) {
            throw failure(operation, e);
        }
    }

    /**
     * {@link #write} while holding the lock named {@code lockKey}: no two such transactions with the same key run
     * at once, on any database and across any number of workers.
     *
     * <p>The lock is a row of {@code RollcallLocks}. The row is created once per key, in a short transaction of its
     * own, and the work's transaction locks it with an {@code UPDATE} of that row, holding the row's exclusive
     * lock until commit; others queue behind it. Every supported database queues plain row updates the same way.
     * Inserting and deleting the row inside the work's transaction would leave nothing behind, but InnoDB
     * deadlocks on it: transactions that wait on an uncommitted duplicate key take shared locks and then all
     * need the exclusive one. Rows therefore stay (one small row per key); {@link #purgeLocks} removes old ones.
     *
     * <p>Re-entrant within one transaction. Called inside a caller's transaction for a key that has no row yet,
     * the row is created on a second pooled connection; called outside one (the usual case), it is created
     * before the work's transaction starts, on the same connection.
     */
    public <T> T writeExclusively(String operation, String lockKey, Supplier<T> work) {
        if (lockKey == null || lockKey.isEmpty() || lockKey.length() > MAX_LOCK_KEY_LENGTH) {
            throw new IllegalArgumentException("lock key must be 1 to " + MAX_LOCK_KEY_LENGTH + " characters");
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            read(operation, () -> {
                if (jdbc.sql("SELECT COUNT(*) FROM RollcallLocks WHERE LockKey = ?").param(lockKey)
                        .query(Integer.class).single() == 0) {
                    createLockRow(lockKey);
                }
                return null;
            });
        }
        return write(operation, () -> {
            for (int attempt = 1; lock(lockKey) == 0; attempt++) {
                if (attempt > 3) {
                    throw new IllegalStateException("lock row " + lockKey + " keeps disappearing");
                }
                createLockRow(lockKey); // first use of the key, or purged since
            }
            return work.get();
        });
    }

    /**
     * Deletes the lock rows of keys not taken for {@code idleFor}. Safe while locks are in use: a transaction
     * whose row was just deleted recreates it.
     *
     * @return how many rows went
     */
    public int purgeLocks(Duration idleFor) {
        LocalDateTime before = LocalDateTime.now().minus(idleFor);
        return write("purge idle locks", () -> jdbc.sql("DELETE FROM RollcallLocks WHERE AcquiredAt < ?")
                .param(before)
                .update());
    }

    private int lock(String lockKey) {
        return jdbc.sql("UPDATE RollcallLocks SET AcquiredAt = ? WHERE LockKey = ?")
                .params(LocalDateTime.now(), lockKey)
                .update();
    }

    /** Inserts the row and commits at once, on its own transaction, so no lock from it outlives the statement. */
    private void createLockRow(String lockKey) {
        try {
            lockRowCreation.executeWithoutResult(status -> jdbc
                    .sql("INSERT INTO RollcallLocks (LockKey, AcquiredAt) VALUES (?, ?)")
                    .params(lockKey, LocalDateTime.now())
                    .update());
        } catch (DuplicateKeyException createdMeanwhile) {
            log.debug("Lock row {} was created by another transaction", lockKey);
        }
    }

    /**
     * Runs an {@code INSERT} into a table whose {@code Id} is an identity column and returns the new {@code Id}.
     * Call it inside {@link #read} or {@link #write}. Drivers name the generated key differently ({@code ID},
     * {@code Id}, {@code GENERATED_KEY}, {@code insert_id}), so the first value returned is taken.
     */
    public long insertReturningId(String sql, List<?> params) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(sql).params(params).update(keys, "Id");
        List<Map<String, Object>> rows = keys.getKeyList();
        if (rows.size() != 1 || rows.getFirst().isEmpty()
                || !(rows.getFirst().values().iterator().next() instanceof Number id)) {
            throw new InvalidDataAccessApiUsageException("the driver returned no generated Id for an insert");
        }
        return id.longValue();
    }

    /** A parameter that may be null, typed so that every driver binds the null without guessing. */
    public static Object nullable(int sqlType, Object value) {
        return value != null ? value : new SqlParameterValue(sqlType, null);
    }

    /**
     * The one translation of a JDBC failure: DATABASE_ERROR naming the operation, with the cause attached (and
     * logged) but never the SQL parameters, which may hold image or embedding data.
     */
    public static RollcallException failure(String operation, RuntimeException cause) {
        log.warn("Database operation '{}' failed: {}", operation, cause.toString());
        return new RollcallException(ErrorCode.DATABASE_ERROR, "Database error while trying to " + operation,
                Map.of("operation", operation), cause);
    }

    private Dialect dialect() {
        Dialect known = dialect;
        if (known == null) {
            known = read("connect to the database", this::detectDialect);
            dialect = known;
        }
        return known;
    }

    private Dialect detectDialect() {
        try {
            return JdbcUtils.extractDatabaseMetaData(dataSource, (DatabaseMetaData meta) -> {
                DatabaseVendor vendor = DatabaseVendor.fromProductName(meta.getDatabaseProductName());
                boolean connectorJ = meta.getDriverName().startsWith("MySQL Connector");
                return new Dialect(vendor, connectorJ ? Integer.MIN_VALUE : STREAMING_BATCH_ROWS);
            });
        } catch (MetaDataAccessException e) {
            throw new DataAccessResourceFailureException(e.getMessage(), e);
        }
    }
}

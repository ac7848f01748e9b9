package io.rollcall.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Metrics;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open, migrated database: a HikariCP pool built from {@link StoreSettings} with the schema brought up to date.
 * Close it to release the pool.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /**
     * How long a caller waits for a connection. Short on purpose: during an outage a request should fail with
     * DATABASE_ERROR within seconds, not queue behind Hikari's default 30 s.
     */
    static final long CONNECTION_TIMEOUT_MS = 3_000;
    /** Must stay below the connection timeout (Hikari's rule). */
    static final long VALIDATION_TIMEOUT_MS = 2_000;

    private static final String H2_BIND_ADDRESS = "h2.bindAddress";

    private final HikariDataSource dataSource;
    private final DatabaseVendor vendor;
    private final DatabaseAccess access;

    private Database(HikariDataSource dataSource, DatabaseVendor vendor) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.access = new DatabaseAccess(dataSource);
    }

    /**
     * Opens the pool and runs the migrations.
     *
     * @throws RollcallException DATABASE_ERROR, within about {@value #CONNECTION_TIMEOUT_MS} ms, when the database
     *                           cannot be reached, or when a migration fails
     */
    public static Database open(StoreSettings settings) {
        HikariDataSource pool = createDataSource(settings, true);
        try {
            int applied = SchemaMigrations.migrate(pool, settings.vendor());
            log.info("Database ready: {} at {}, {} migration(s) applied, pool of {}",
                    settings.vendor(), settings.redactedUrl(), applied, settings.poolSize());
            return new Database(pool, settings.vendor());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Builds the connection pool alone, without migrating: for tools and tests that prepare a schema first.
     *
     * @param failFast when true, the first connection is made now and a failure is DATABASE_ERROR at once; when
     *                 false, the pool starts empty and connects on first use
     */
    public static HikariDataSource createDataSource(StoreSettings settings, boolean failFast) {
        if (settings.vendor() == DatabaseVendor.H2 && settings.jdbcUrl().toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE")) {
            serveH2OnLoopbackOnly();
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("rollcall-db");
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setValidationTimeout(VALIDATION_TIMEOUT_MS);
        config.setInitializationFailTimeout(failFast ? 1 : -1);
        // The pool's metrics (hikaricp_connections_*, pool="rollcall-db") on the registry every Prometheus endpoint of
        // the process reads. Set before the pool starts: Spring Boot's own binder comes too late for a pool opened
        // (and migrated) while the context is built, and would skip it.
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(Metrics.globalRegistry));
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // Hikari's message names the URL's host, never the password; the cause chain holds the driver's error.
            throw new RollcallException(ErrorCode.DATABASE_ERROR,
                    "Cannot connect to the database at " + settings.redactedUrl() + ": " + rootMessage(e),
                    Map.of("operation", "connect to the database"), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseVendor vendor() {
        return vendor;
    }

    /** The shared access object the repositories of this database use. */
    public DatabaseAccess access() {
        return access;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * H2's AUTO_SERVER listens on every interface unless {@code h2.bindAddress} is set before H2 first reads its
     * system properties; the embedded database must never be reachable from the school's network. Set here, before
     * the first H2 connection of the process, unless an operator chose an address.
     */
    static void serveH2OnLoopbackOnly() {
        if (System.getProperty(H2_BIND_ADDRESS) == null) {
            System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
        }
        if (org.h2.engine.SysProperties.BIND_ADDRESS == null) {
            log.warn("H2 was loaded before {} was set: its AUTO_SERVER port listens on every interface", H2_BIND_ADDRESS);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}

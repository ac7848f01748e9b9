package io.rollcall.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.rollcall.storage.Database;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.DatabaseVendor;
import io.rollcall.storage.SchemaMigrations;
import io.rollcall.storage.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A database of its own for one test: created empty under a unique name, dropped by {@link #close()}.
 *
 * <p>MariaDB is the local server ({@code ROLLCALL_TEST_MARIADB_URL}, default {@code 127.0.0.1:3306}, user
 * {@code ROLLCALL_TEST_MARIADB_USER}/{@code root}, password {@code ROLLCALL_TEST_MARIADB_PASSWORD}/empty). When it
 * is not reachable its tests are skipped with the reason, unless {@code ROLLCALL_TEST_REQUIRE_MARIADB=true} makes
 * that a failure (as on a machine that is meant to have it).
 */
public final class TestDatabase implements AutoCloseable {

    /** The databases every storage test runs against. */
    public enum Kind {
        H2,
        /** The local MariaDB through MariaDB Connector/J. */
        MARIADB,
        /** The same server through MySQL Connector/J: the driver a school on MySQL uses (streaming, keys, errors). */
        MARIADB_VIA_MYSQL_DRIVER
    }

    private static final String MARIADB_HOST = env("ROLLCALL_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/")
            .replaceFirst("^jdbc:mariadb://", "").replaceFirst("/.*$", "");
    private static final String MARIADB_USER = env("ROLLCALL_TEST_MARIADB_USER", "root");
    private static final String MARIADB_PASSWORD = env("ROLLCALL_TEST_MARIADB_PASSWORD", "");
    private static volatile String mariaDbUnavailable;
    private static volatile boolean mariaDbChecked;

    private final Kind kind;
    private final String name;
    private final StoreSettings settings;
    private final HikariDataSource dataSource;

    private TestDatabase(Kind kind, String name, StoreSettings settings) {
        this.kind = kind;
        this.name = name;
        this.settings = settings;
        this.dataSource = Database.createDataSource(settings, true);
    }

    /** A new, empty database. */
    public static TestDatabase create(Kind kind) {
        String name = "rollcall_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return switch (kind) {
            case H2 -> new TestDatabase(kind, name,
                    new StoreSettings("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", null, 8));
            case MARIADB, MARIADB_VIA_MYSQL_DRIVER -> {
                requireMariaDb();
                adminExecute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
                String url = (kind == Kind.MARIADB ? "jdbc:mariadb://" : "jdbc:mysql://") + MARIADB_HOST + "/" + name;
                try {
                    yield new TestDatabase(kind, name, new StoreSettings(url, MARIADB_USER, blankToNull(MARIADB_PASSWORD), 8));
                } catch (RuntimeException e) {
                    adminExecute("DROP DATABASE IF EXISTS " + name);
                    throw e;
                }
            }
        };
    }

    /** A new database with Rollcall's migrations applied. */
    public static TestDatabase migrated(Kind kind) {
        TestDatabase db = create(kind);
        db.migrate();
        return db;
    }

    public int migrate() {
        return SchemaMigrations.migrate(dataSource, vendor());
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public StoreSettings settings() {
        return settings;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public DatabaseVendor vendor() {
        return settings.vendor();
    }

    public DatabaseAccess access() {
        return new DatabaseAccess(dataSource);
    }

    /** For fixtures and assertions. */
    public JdbcClient sql() {
        return JdbcClient.create(dataSource);
    }

    /** Runs a classpath script of statements separated by lines ending in {@code ;} ({@code --} comments skipped). */
    public void runScript(String resource) {
        runScript(dataSource, resource);
    }

    /** {@link #runScript(String)} on any database, such as a service's H2 file before the service starts. */
    public static void runScript(DataSource dataSource, String resource) {
        String text;
        try (InputStream in = TestDatabase.class.getResourceAsStream(resource)) {
            Assertions.assertNotNull(in, "missing test resource " + resource);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.strip().startsWith("--") || line.isBlank()) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("fixture " + resource + " failed: " + e.getMessage(), e);
        }
    }

    /** Table names (lower case) of the database. */
    public TreeSet<String> tables() {
        return metadata(meta -> {
            TreeSet<String> names = new TreeSet<>();
            try (ResultSet rs = meta.getTables(catalog(meta), schema(meta), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            return names;
        });
    }

    /** Column names (lower case) of a table. */
    public TreeSet<String> columns(String table) {
        return metadata(meta -> {
            TreeSet<String> names = new TreeSet<>();
            try (ResultSet rs = meta.getColumns(catalog(meta), schema(meta), tableName(table), "%")) {
                while (rs.next()) {
                    names.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            return names;
        });
    }

    /** Index name (lower case) to whether it is unique, for a table. */
    public Map<String, Boolean> indexes(String table) {
        return metadata(meta -> {
            Map<String, Boolean> indexes = new TreeMap<>();
            try (ResultSet rs = meta.getIndexInfo(catalog(meta), schema(meta), tableName(table), false, false)) {
                while (rs.next()) {
                    String index = rs.getString("INDEX_NAME");
                    if (index != null) {
                        indexes.put(index.toLowerCase(Locale.ROOT), !rs.getBoolean("NON_UNIQUE"));
                    }
                }
            }
            return indexes;
        });
    }

    @Override
    public void close() {
        dataSource.close();
        switch (kind) {
            case H2 -> {
                try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), "sa", "");
                     Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            case MARIADB, MARIADB_VIA_MYSQL_DRIVER -> adminExecute("DROP DATABASE IF EXISTS " + name);
        }
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }

    private interface MetadataQuery<T> {
        T run(DatabaseMetaData meta) throws SQLException;
    }

    private <T> T metadata(MetadataQuery<T> query) {
        try (Connection c = dataSource.getConnection()) {
            return query.run(c.getMetaData());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String catalog(DatabaseMetaData meta) {
        return kind == Kind.H2 ? null : name;
    }

    private String schema(DatabaseMetaData meta) {
        return kind == Kind.H2 ? "PUBLIC" : null;
    }

    private String tableName(String table) {
        return kind == Kind.H2 ? table.toUpperCase(Locale.ROOT) : table;
    }

    private static void requireMariaDb() {
        if (!mariaDbChecked) {
            synchronized (TestDatabase.class) {
                if (!mariaDbChecked) {
                    try (Connection c = DriverManager.getConnection(
                            "jdbc:mariadb://" + MARIADB_HOST + "/?connectTimeout=2000", MARIADB_USER, MARIADB_PASSWORD)) {
                        mariaDbUnavailable = c.isValid(2) ? null : "MariaDB at " + MARIADB_HOST + " does not answer";
                    } catch (SQLException e) {
                        mariaDbUnavailable = "MariaDB not reachable at " + MARIADB_HOST + ": " + e.getMessage();
                    }
                    mariaDbChecked = true;
                }
            }
        }
        if (mariaDbUnavailable != null) {
            if (Boolean.parseBoolean(env("ROLLCALL_TEST_REQUIRE_MARIADB", "false"))) {
                Assertions.fail(mariaDbUnavailable);
            }
            Assumptions.abort(mariaDbUnavailable);
        }
    }

    private static void adminExecute(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + MARIADB_HOST + "/", MARIADB_USER, MARIADB_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

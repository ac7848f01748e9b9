package io.rollcall.storage;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the database is, from the environment.
 *
 * <p>The default is an embedded H2 file database under {@code ${DATA_DIR:-./data}/db/rollcall}, in H2's regular
 * mode rather than {@code MODE=MySQL}: Rollcall keeps a migration folder per vendor and repository SQL that runs
 * unchanged on H2, MySQL/MariaDB and SQL Server, so a compatibility mode would add nothing but H2's partial
 * imitation of another database. {@code LOCK_TIMEOUT} is raised from H2's one second because attendance and
 * enrollment wait on each other's row locks.
 *
 * @param jdbcUrl  {@code DATABASE_URL}
 * @param user     {@code DATABASE_USER}, or null to let the URL or driver decide
 * @param password {@code DATABASE_PASSWORD}, or null; never logged and masked in {@link #toString()}
 * @param poolSize {@code DATABASE_POOL_SIZE}: the connection pool's maximum size
 */
public record StoreSettings(String jdbcUrl, String user, String password, int poolSize) {

    private static final Pattern URL_SECRET = Pattern.compile("(?i)((?:password|pwd)\\s*=)[^;&]*");
    private static final Pattern URL_USERINFO = Pattern.compile("//([^/@:;?]*):[^/@;?]*@");

    public StoreSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        DatabaseVendor.fromJdbcUrl(jdbcUrl);
        checkPoolSize(poolSize);
    }

    /** 200 is far beyond what a worker uses and below every server's default connection limit. */
    public static long checkPoolSize(long poolSize) {
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("DATABASE_POOL_SIZE must be between 1 and 200, got " + poolSize);
        }
        return poolSize;
    }

    /**
     * The embedded H2 file database under {@code dataDir}; the path is made absolute, as H2 requires.
     * {@code AUTO_SERVER=TRUE}: the process that opens the file first serves it to the others on a loopback port
     * ({@link Database} binds H2's server to 127.0.0.1) named in the lock file, so {@code ./rollcall backup},
     * {@code restore} and {@code migrate --local} work while {@code ./rollcall} runs. Whoever can read the lock file
     * can read the database file itself, so this opens nothing new.
     */
    public static String defaultJdbcUrl(Path dataDir) {
        Path base = dataDir.toAbsolutePath().normalize().resolve("db").resolve("rollcall");
        return "jdbc:h2:file:" + base + ";LOCK_TIMEOUT=10000;AUTO_SERVER=TRUE";
    }

    public DatabaseVendor vendor() {
        return DatabaseVendor.fromJdbcUrl(jdbcUrl);
    }

    /** The URL with any {@code password=} parameter and {@code user:password@} part masked, for logs. */
    public String redactedUrl() {
        String masked = URL_SECRET.matcher(jdbcUrl).replaceAll("$1***");
        return URL_USERINFO.matcher(masked).replaceAll("//$1:***@");
    }

    @Override
    public String toString() {
        return "StoreSettings[jdbcUrl=" + redactedUrl() + ", user=" + user
                + ", password=" + (password == null ? "(none)" : "***") + ", poolSize=" + poolSize + "]";
    }
}

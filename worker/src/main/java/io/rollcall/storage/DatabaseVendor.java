package io.rollcall.storage;

import java.util.Locale;

/**
 * The database families Rollcall supports. Each has its own migration folder ({@code db/migration/<folder>}); the
 * repositories share one SQL text everywhere except where a family has no common syntax (paging).
 */
public enum DatabaseVendor {
    /** H2 in its regular mode: the embedded default and the first test target. */
    H2("h2", "OFFSET ? ROWS FETCH NEXT ? ROWS ONLY"),
    /** MySQL 8 and MariaDB, through either driver: one dialect, one migration folder. */
    MYSQL("mysql", "LIMIT ? OFFSET ?"),
    /** Microsoft SQL Server (T-SQL). */
    SQLSERVER("sqlserver", "OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");

    private final String migrationFolder;
    private final String pagingClause;

    DatabaseVendor(String migrationFolder, String pagingClause) {
        this.migrationFolder = migrationFolder;
        this.pagingClause = pagingClause;
    }

    /** The folder under {@code db/migration/} holding this family's Flyway scripts. */
    public String migrationFolder() {
        return migrationFolder;
    }

    /**
     * The clause appended after {@code ORDER BY} to read one page. MySQL has no {@code OFFSET … FETCH}; SQL Server
     * has no {@code LIMIT}. Parameter order differs, see {@link #pagingParameters}.
     */
    String pagingClause() {
        return pagingClause;
    }

    /**
     * A deterministic integer hash of a text expression, for change fingerprints that the database computes and only
     * compares with its own earlier values: CRC32 on MySQL, ORA_HASH on H2, CHECKSUM on SQL Server. Cast to BIGINT so
     * that a sum over a million rows cannot overflow.
     */
    String textHash(String expression) {
        return switch (this) {
            case MYSQL -> "CAST(CRC32(" + expression + ") AS SIGNED)";
            case H2 -> "CAST(ORA_HASH(" + expression + ") AS BIGINT)";
            case SQLSERVER -> "CAST(CHECKSUM(" + expression + ") AS BIGINT)";
        };
    }

    /** Integer division of an integer column, as each family spells it ({@code /} truncates everywhere but MySQL). */
    String integerDivision(String column, int divisor) {
        return this == MYSQL ? column + " DIV " + divisor : column + " / " + divisor;
    }

    /** The values for {@link #pagingClause()}'s two placeholders, in placeholder order. */
    Object[] pagingParameters(long offset, int limit) {
        return this == MYSQL ? new Object[] {limit, offset} : new Object[] {offset, limit};
    }

    /**
     * The vendor a JDBC URL points at.
     *
     * @throws IllegalArgumentException for any other database, naming the URL's scheme only (a URL may carry a password)
     */
    public static DatabaseVendor fromJdbcUrl(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl.trim().toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        if (url.startsWith("jdbc:sqlserver:")) {
            return SQLSERVER;
        }
        int schemeEnd = url.indexOf(':', "jdbc:".length());
        String scheme = schemeEnd > 0 ? url.substring(0, schemeEnd) : "(none)";
        throw new IllegalArgumentException(
                "DATABASE_URL must be a jdbc:h2:, jdbc:mysql:, jdbc:mariadb: or jdbc:sqlserver: URL, got scheme " + scheme);
    }

    /** The vendor behind a connection, from {@code DatabaseMetaData.getDatabaseProductName()}. */
    static DatabaseVendor fromProductName(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.equals("h2")) {
            return H2;
        }
        if (name.contains("mysql") || name.contains("mariadb")) {
            return MYSQL;
        }
        if (name.contains("sql server")) {
            return SQLSERVER;
        }
        throw new IllegalArgumentException("unsupported database: " + productName);
    }
}

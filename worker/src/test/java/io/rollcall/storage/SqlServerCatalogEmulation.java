package io.rollcall.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Just enough of SQL Server's catalog on H2 ({@code MODE=MSSQLServer}) for the T-SQL migrations' guards to be
 * evaluated: {@code OBJECT_ID(name[, type])}, {@code COL_LENGTH(table, column)} and {@code sys.indexes(name,
 * object_id)}. An emulation written from SQL Server's documentation (NULL when the object does not exist), not
 * SQL Server itself. Public because H2 calls the functions by reflection.
 */
public final class SqlServerCatalogEmulation {

    private SqlServerCatalogEmulation() {
    }

    static void install(Connection c) throws SQLException {
        String self = SqlServerCatalogEmulation.class.getName();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE ALIAS OBJECT_ID FOR '" + self + ".objectId'");
            s.execute("CREATE ALIAS COL_LENGTH FOR '" + self + ".colLength'");
            s.execute("CREATE ALIAS RC_TABLE_ID FOR '" + self + ".tableId'");
            s.execute("CREATE SCHEMA sys");
            s.execute("CREATE VIEW sys.indexes AS SELECT INDEX_NAME AS name, RC_TABLE_ID(TABLE_NAME) AS object_id"
                    + " FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = SCHEMA()");
        }
    }

    /** {@code OBJECT_ID(name)}: an id for an existing table, else NULL. */
    public static Integer objectId(Connection c, String name) throws SQLException {
        return objectId(c, name, "U");
    }

    /** {@code OBJECT_ID(name, 'U')}: only user tables are asked about. */
    public static Integer objectId(Connection c, String name, String type) throws SQLException {
        if (!"U".equals(type)) {
            throw new SQLException("emulation knows object type 'U' only, got " + type);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = SCHEMA() AND UPPER(TABLE_NAME) = UPPER(?) AND TABLE_TYPE = 'BASE TABLE'")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0 ? tableId(name) : null;
            }
        }
    }

    /** {@code COL_LENGTH(table, column)}: some length for an existing column, else NULL. */
    public static Integer colLength(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = SCHEMA() AND UPPER(TABLE_NAME) = UPPER(?) AND UPPER(COLUMN_NAME) = UPPER(?)")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0 ? 1 : null;
            }
        }
    }

    public static int tableId(String table) {
        return table.toUpperCase(Locale.ROOT).hashCode();
    }
}

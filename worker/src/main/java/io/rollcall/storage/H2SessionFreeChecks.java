package io.rollcall.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration V5, H2 only: rewrites the spec's two IN-list CHECKs ({@code FaceData.PersonType},
 * {@code AttendanceRecords.Status}) as {@code col = ANY(ARRAY [...])}, which allows the same values (NULL included).
 *
 * <p>H2 2.4.240 compiles {@code col IN (constants)} (and {@code col = 'a' OR col = 'b'}, which it rewrites to IN)
 * into a sorted set whose comparator is the session that created the constraint (h2database issues 4302, 4308).
 * Once that connection closes while others keep the database open, as HikariCP's maxLifetime does 30 minutes after
 * start, every insert fails with 23514 "Check constraint invalid" (cause: 90098 "The database has been closed")
 * until the database is reopened. {@code = ANY(ARRAY ...)} compares in the session that evaluates it. V1 is not
 * the only culprit: {@code ALTER TABLE ... ADD COLUMN} (V3) re-creates a table's constraints in its own session.
 *
 * <p>Keeping the migrating connection open instead would not do: it would have to outlive every pool in the JVM
 * that shares the database (two in-process workers do), and later DDL on these tables would bind them again. A Java
 * migration because H2 named the spec's unnamed constraints itself ({@code CONSTRAINT_4C}), so only a catalog lookup
 * finds them. Only constraints exactly as the spec writes them are replaced, under the same name.
 */
final class H2SessionFreeChecks implements JavaMigration {

    private record InListCheck(String table, String column, List<String> values) {

        /** The clause as H2 renders an IN-list CHECK in {@code INFORMATION_SCHEMA.CHECK_CONSTRAINTS}. */
        String inListClause() {
            return "\"" + column + "\" IN(" + literals() + ")";
        }

        String anyArrayCondition() {
            return "\"" + column + "\" = ANY(ARRAY [" + literals() + "])";
        }

        private String literals() {
            return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
        }
    }

    private static final List<InListCheck> CHECKS = List.of(
            new InListCheck("FACEDATA", "PERSONTYPE", List.of("student", "teacher")),
            new InListCheck("ATTENDANCERECORDS", "STATUS", List.of("Present", "Absent", "Late")));

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("5");
    }

    @Override
    public String getDescription() {
        return "session free check constraints";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        for (InListCheck check : CHECKS) {
            List<String> names = constraintsWithClause(c, check.table(), check.inListClause());
            if (names.isEmpty()) {
                continue;
            }
            try (Statement s = c.createStatement()) {
                for (String name : names) {
                    s.execute("ALTER TABLE " + quote(check.table()) + " DROP CONSTRAINT " + quote(name));
                }
                s.execute("ALTER TABLE " + quote(check.table()) + " ADD CONSTRAINT " + quote(names.getFirst())
                        + " CHECK (" + check.anyArrayCondition() + ")");
            }
        }
    }

    private static List<String> constraintsWithClause(Connection c, String table, String clause) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t.CONSTRAINT_NAME
                FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS t
                JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS k
                  ON k.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = t.CONSTRAINT_NAME
                WHERE t.TABLE_SCHEMA = CURRENT_SCHEMA AND t.TABLE_NAME = ? AND t.CONSTRAINT_TYPE = 'CHECK'
                  AND k.CHECK_CLAUSE = ?
                ORDER BY t.CONSTRAINT_NAME""")) {
            ps.setString(1, table);
            ps.setString(2, clause);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}

package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatement;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.sqlserver.SQLServerParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * There is no SQL Server here, so the T-SQL migrations are checked as far as possible without one: split by
 * Flyway's own SQL Server parser, every statement's guard checked to protect the object its body creates, and the
 * scripts run on H2 in {@code MODE=MSSQLServer} with the guards evaluated against an emulation of the three catalog
 * functions they use ({@link SqlServerCatalogEmulation}): on an empty database, a second time, and on the spec's
 * T-SQL school schema. What this cannot prove: SQL Server's own parsing and semantics of the DDL, the real catalog
 * functions, and the filtered unique index (H2 has no {@code WHERE} on indexes, so it is dropped here).
 */
class SqlServerMigrationScriptTest {

    private static final List<String> SCRIPTS = List.of(
            "V1__school_tables.sql", "V2__face_recognition_logs.sql", "V3__face_data_lookups.sql", "V4__rollcall_locks.sql",
            "V6__rollcall_migration.sql", "V9__rollcall_packs.sql");

    private static final Pattern TABLE_GUARD = Pattern.compile("IF OBJECT_ID\\(N'(\\w+)', N'U'\\) IS NULL");
    private static final Pattern COLUMN_GUARD = Pattern.compile("IF COL_LENGTH\\(N'(\\w+)', N'(\\w+)'\\) IS NULL");
    private static final Pattern INDEX_GUARD = Pattern.compile("IF NOT EXISTS \\(SELECT 1 FROM sys\\.indexes WHERE name = "
            + "N'(\\w+)' AND object_id = OBJECT_ID\\(N'(\\w+)'\\)\\)");
    private static final Pattern FILTER = Pattern.compile("\\s+WHERE\\s+\\w+\\s+IS NOT NULL\\s*$");

    /** A guarded statement: the condition line and the DDL it protects. */
    private record Guarded(String script, String guard, String body) {
    }

    @Test
    void flywaySplitsEachScriptIntoOneBatchPerGuardedStatement() {
        assertThat(SCRIPTS.stream().map(s -> statements(s).size()).toList()).containsExactly(5, 3, 2, 1, 6, 5);
    }

    @Test
    void everyStatementOnlyCreatesTheObjectItsGuardFoundMissing() {
        for (String script : SCRIPTS) {
            for (Guarded g : statements(script)) {
                Matcher m;
                if ((m = TABLE_GUARD.matcher(g.guard())).matches()) {
                    assertThat(g.body()).as(g.toString()).startsWith("CREATE TABLE " + m.group(1) + " (");
                } else if ((m = COLUMN_GUARD.matcher(g.guard())).matches()) {
                    assertThat(g.body()).as(g.toString()).startsWith("ALTER TABLE " + m.group(1) + " ADD " + m.group(2) + " ")
                            .contains(" NULL");
                } else if ((m = INDEX_GUARD.matcher(g.guard())).matches()) {
                    assertThat(g.body()).as(g.toString())
                            .matches("CREATE (UNIQUE )?INDEX " + m.group(1) + " ON " + m.group(2) + " \\(.*");
                } else {
                    throw new AssertionError("unguarded statement in " + script + ": " + g.guard());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mysql", "sqlserver"})
    void noScriptDropsRenamesOrDeletes(String vendor) throws IOException {
        for (String script : SCRIPTS) {
            String text = read("/db/migration/" + vendor + "/" + script).toUpperCase(Locale.ROOT)
                    .replaceAll("(?m)^\\s*--.*$", "");
            assertThat(text).as(vendor + "/" + script)
                    .doesNotContain("DROP ", "RENAME", "SP_RENAME", "TRUNCATE", "DELETE ", "UPDATE ", "MODIFY ", "ALTER COLUMN");
        }
    }

    @Test
    void onAnEmptyDatabaseTheScriptsBuildTheSameTablesAndColumnsAsTheOtherVendors() throws SQLException {
        try (Connection c = emulatedSqlServer()) {
            List<String> ran = runAll(c);

            assertThat(ran).hasSize(21) // every CREATE; the EventId column came with its table
                    .doesNotContain("ALTER TABLE FaceRecognitionLogs ADD EventId VARCHAR(36) NULL");
            assertThat(schema(c)).isEqualTo(h2Schema());
        }
    }

    @Test
    void runningTheScriptsAgainRunsNoStatement() throws SQLException {
        try (Connection c = emulatedSqlServer()) {
            runAll(c);

            assertThat(runAll(c)).isEmpty();
        }
    }

    @Test
    void onTheSpecsSchoolSchemaOnlyTheMissingPiecesRun() throws SQLException {
        try (Connection c = emulatedSqlServer()) {
            try (Statement s = c.createStatement()) {
                for (String statement : read("/school-schema/sqlserver.sql").replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }

            assertThat(runAll(c)).containsExactly(
                    "ALTER TABLE FaceRecognitionLogs ADD EventId VARCHAR(36) NULL",
                    "CREATE UNIQUE INDEX UX_FaceRecognitionLogs_EventId ON FaceRecognitionLogs (EventId) WHERE EventId IS NOT NULL",
                    "ALTER TABLE FaceData ADD ImageSha256 CHAR(64) NULL",
                    "CREATE INDEX IX_FaceData_Person ON FaceData (PersonType, PersonCode)",
                    "CREATE TABLE RollcallLocks (",
                    "CREATE TABLE RollcallMigrationBatches (",
                    "CREATE TABLE RollcallMigratedSamples (",
                    "CREATE INDEX IX_RollcallMigratedSamples_Batch ON RollcallMigratedSamples (BatchId)",
                    "CREATE INDEX IX_RollcallMigratedSamples_Person ON RollcallMigratedSamples (PersonType, PersonCode)",
                    "CREATE TABLE RollcallMigratedPersons (",
                    "CREATE INDEX IX_RollcallMigratedPersons_Person ON RollcallMigratedPersons (PersonType, PersonCode)",
                    "CREATE TABLE RollcallSettings (",
                    "CREATE TABLE RollcallPackDescriptors (",
                    "CREATE INDEX IX_RollcallPackDescriptors_Pack ON RollcallPackDescriptors (ModelPack, FaceDataId)",
                    "CREATE TABLE RollcallShadowOutcomes (",
                    "CREATE INDEX IX_RollcallShadowOutcomes_Run ON RollcallShadowOutcomes (RunId)");
            assertThat(schema(c).get("sessions")).containsExactly("classname", "endtime", "id", "sessionname", "starttime");
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM FaceRecognitionLogs WHERE EventId IS NULL")) {
                rs.next();
                assertThat(rs.getInt(1)).as("old log rows kept, without an event id").isEqualTo(2);
            }
        }
    }

    @Test
    void theEventIdIndexNeedsItsFilterBecauseSqlServerAllowsOneNullInAUniqueIndex() throws SQLException {
        // H2's MSSQLServer mode reproduces that rule: the two old log rows without an event id collide.
        try (Connection c = emulatedSqlServer(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE FaceRecognitionLogs (Id INT IDENTITY(1,1) PRIMARY KEY, EventId VARCHAR(36) NULL)");
            s.execute("INSERT INTO FaceRecognitionLogs (EventId) VALUES (NULL)");
            s.execute("INSERT INTO FaceRecognitionLogs (EventId) VALUES (NULL)");

            assertThatThrownBy(() -> s.execute("CREATE UNIQUE INDEX UX_FaceRecognitionLogs_EventId ON FaceRecognitionLogs (EventId)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("Unique index or primary key violation");
        }
        assertThat(statements("V2__face_recognition_logs.sql").getLast().body()).endsWith("WHERE EventId IS NOT NULL");
    }

    /** H2 imitating SQL Server: identifiers keep their case and compare without it, as in SQL Server's default. */
    private static Connection emulatedSqlServer() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:tsql_" + System.nanoTime()
                + ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE");
        SqlServerCatalogEmulation.install(c);
        return c;
    }

    /**
     * Runs every script as SQL Server would, batch by batch: the guard evaluated, the body run when it holds. H2 has
     * no filtered index, so the filtered unique index is created as a plain one. Returns the first line of each
     * body that ran.
     */
    private static List<String> runAll(Connection c) throws SQLException {
        List<String> ran = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            for (String script : SCRIPTS) {
                for (Guarded g : statements(script)) {
                    try (ResultSet rs = s.executeQuery(
                            "SELECT CASE WHEN " + g.guard().substring("IF ".length()) + " THEN 1 ELSE 0 END")) {
                        rs.next();
                        if (rs.getInt(1) == 1) {
                            Matcher filtered = FILTER.matcher(g.body());
                            s.execute(filtered.find() ? filtered.replaceFirst("").replaceFirst("^CREATE UNIQUE ", "CREATE ") : g.body());
                            ran.add(g.body().lines().findFirst().orElseThrow());
                        }
                    }
                }
            }
        }
        return ran;
    }

    private static Map<String, TreeSet<String>> h2Schema() throws SQLException {
        try (TestDatabase h2 = TestDatabase.migrated(TestDatabase.Kind.H2); Connection c = h2.dataSource().getConnection()) {
            Map<String, TreeSet<String>> schema = schema(c);
            schema.remove("rollcall_schema_history");
            return schema;
        }
    }

    /** Table (lower case) to its column names (lower case). */
    private static Map<String, TreeSet<String>> schema(Connection c) throws SQLException {
        Map<String, TreeSet<String>> tables = new TreeMap<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), "%", "%")) {
            while (rs.next()) {
                tables.computeIfAbsent(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT), t -> new TreeSet<>())
                        .add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return tables;
    }

    private static List<Guarded> statements(String script) {
        List<Guarded> out = new ArrayList<>();
        SQLServerParser parser = new SQLServerParser(Flyway.configure(), new ParsingContext());
        try (SqlStatementIterator it = parser.parse(new StringResource(read("/db/migration/sqlserver/" + script)))) {
            while (it.hasNext()) {
                SqlStatement statement = it.next();
                // The parser keeps a statement's leading comments; the guard is the first line after them.
                String sql = statement.getSql().replaceAll("(?m)\\A(\\s*--[^\\n]*\\n)+", "").strip();
                if (sql.endsWith(";")) {
                    sql = sql.substring(0, sql.length() - 1).strip();
                }
                int newline = sql.indexOf('\n');
                assertThat(newline).as("a guard line and a body in " + script + ": " + sql).isPositive();
                out.add(new Guarded(script, sql.substring(0, newline).strip(), sql.substring(newline + 1).strip()));
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = SqlServerMigrationScriptTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

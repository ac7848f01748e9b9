package io.rollcall.storage;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database up to Rollcall's schema with Flyway, from {@code db/migration/<vendor>}.
 *
 * <p>The database is usually the school's, already holding the Node.js system's tables, so:
 * <ul>
 *   <li>every script creates only what is missing and never drops, renames or rewrites anything (H2's V5,
 *       {@link H2SessionFreeChecks}, rewrites two CHECKs into an equivalent form that H2 2.4 evaluates safely);</li>
 *   <li>Flyway's history lives in {@value #HISTORY_TABLE}, so it never meets a history table of the school's;</li>
 *   <li>a database with tables but no Rollcall history is baselined at version {@value #BASELINE_VERSION}
 *       (below every script) and then migrated: Flyway's default baseline of 1 would skip V1 and leave, for
 *       example, a missing {@code Sessions} table uncreated.</li>
 * </ul>
 */
public final class SchemaMigrations {

    public static final String HISTORY_TABLE = "rollcall_schema_history";
    static final String BASELINE_VERSION = "0";

    private SchemaMigrations() {
    }

    /**
     * Applies the pending migrations and returns how many ran (0 when the schema is current).
     *
     * @throws RollcallException DATABASE_ERROR when the database is unreachable or a script fails
     */
    public static int migrate(DataSource dataSource, DatabaseVendor vendor) {
        try {
            MigrateResult result = configure(dataSource, vendor).migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new RollcallException(ErrorCode.DATABASE_ERROR, "Database migration failed: " + e.getMessage(),
                    Map.of("operation", "migrate the schema"), e);
        }
    }

    /** Migrations that a script cannot express; none but H2's V5 ({@link H2SessionFreeChecks}). */
    private static JavaMigration[] javaMigrations(DatabaseVendor vendor) {
        return vendor == DatabaseVendor.H2 ? new JavaMigration[] {new H2SessionFreeChecks()} : new JavaMigration[0];
    }

    static Flyway configure(DataSource dataSource, DatabaseVendor vendor) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + vendor.migrationFolder())
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion(BASELINE_VERSION)
                .baselineDescription("existing database adopted by Rollcall")
                .cleanDisabled(true)
                .javaMigrations(javaMigrations(vendor))
                .load();
    }
}

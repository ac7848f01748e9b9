package io.rollcall.storage;

import io.rollcall.worker.WorkerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.rollcall.person.PersonRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSettingsTest {

    @Test
    void defaultsToAnEmbeddedH2FileUnderTheDataFolder() {
        StoreSettings settings = WorkerConfig.from(Map.of(), null).store();

        assertThat(settings.jdbcUrl()).isEqualTo(
                "jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("db/rollcall") + ";LOCK_TIMEOUT=10000;AUTO_SERVER=TRUE");
        assertThat(settings.vendor()).isEqualTo(DatabaseVendor.H2);
        assertThat(settings.user()).isNull();
        assertThat(settings.password()).isNull();
        assertThat(settings.poolSize()).isEqualTo(5);
        assertThat(WorkerConfig.from(Map.of("DATA_DIR", "/srv/rollcall/"), null).store().jdbcUrl())
                .isEqualTo("jdbc:h2:file:/srv/rollcall/db/rollcall;LOCK_TIMEOUT=10000;AUTO_SERVER=TRUE");
    }

    @Test
    void readsTheDatabaseVariables() {
        StoreSettings settings = WorkerConfig.from(Map.of(
                "DATABASE_URL", " jdbc:mysql://db.school.example:3306/attendance ",
                "DATABASE_USER", "rollcall",
                "DATABASE_PASSWORD", " pa ss ",
                "DATABASE_POOL_SIZE", "12"), null).store();

        assertThat(settings).isEqualTo(
                new StoreSettings("jdbc:mysql://db.school.example:3306/attendance", "rollcall", " pa ss ", 12));
        assertThat(settings.vendor()).isEqualTo(DatabaseVendor.MYSQL);
    }

    @Test
    void choosesTheMigrationFolderFromTheUrl() {
        assertThat(DatabaseVendor.fromJdbcUrl("jdbc:h2:mem:x")).isEqualTo(DatabaseVendor.H2);
        assertThat(DatabaseVendor.fromJdbcUrl("jdbc:mariadb://h/db")).isEqualTo(DatabaseVendor.MYSQL);
        assertThat(DatabaseVendor.fromJdbcUrl("JDBC:MySQL://h/db")).isEqualTo(DatabaseVendor.MYSQL);
        assertThat(DatabaseVendor.fromJdbcUrl("jdbc:sqlserver://h;databaseName=school").migrationFolder())
                .isEqualTo("sqlserver");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WorkerConfig.from(Map.of("DATABASE_URL", "jdbc:postgresql://h/db?password=secret"), null).store())
                .withMessage("DATABASE_URL must be a jdbc:h2:, jdbc:mysql:, jdbc:mariadb: or jdbc:sqlserver: URL,"
                        + " got scheme jdbc:postgresql");
    }

    @Test
    void rejectsAPoolSizeOutOfRange() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WorkerConfig.from(Map.of("DATABASE_POOL_SIZE", "0"), null).store())
                .withMessage("DATABASE_POOL_SIZE must be between 1 and 200, got 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WorkerConfig.from(Map.of("DATABASE_POOL_SIZE", "99999999999"), null).store())
                .withMessage("DATABASE_POOL_SIZE must be between 1 and 200, got 99999999999");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WorkerConfig.from(Map.of("DATABASE_POOL_SIZE", "five"), null).store())
                .withMessage("DATABASE_POOL_SIZE must be an integer, got 'five'");
    }

    @Test
    void neverShowsThePassword() {
        StoreSettings settings = new StoreSettings(
                "jdbc:sqlserver://db:1433;databaseName=school;user=sa;password=Hunter2;encrypt=true", "sa", "Hunter2", 5);
        StoreSettings inUserInfo = new StoreSettings("jdbc:mysql://rollcall:Hunter2@db:3306/school?pwd=Hunter2&x=1", null, null, 5);

        assertThat(settings.toString()).doesNotContain("Hunter2").contains("password=***");
        assertThat(settings.redactedUrl())
                .isEqualTo("jdbc:sqlserver://db:1433;databaseName=school;user=sa;password=***;encrypt=true");
        assertThat(inUserInfo.redactedUrl()).isEqualTo("jdbc:mysql://rollcall:***@db:3306/school?pwd=***&x=1");
    }

    @Test
    void theDefaultDatabaseOpensAndMigratesOutOfTheBox(@TempDir Path dataDir) {
        StoreSettings settings = WorkerConfig.from(Map.of("DATA_DIR", dataDir.toString()), null).store();

        try (Database database = Database.open(settings)) {
            assertThat(database.vendor()).isEqualTo(DatabaseVendor.H2);
            assertThat(new FaceRepository(database.access()).countSamples(PersonRef.student("S001"))).isZero();
        }
        try (Database reopened = Database.open(settings)) {
            assertThat(new DatabaseAccess(reopened.dataSource()).vendor()).isEqualTo(DatabaseVendor.H2);
        }
        assertThat(Files.exists(dataDir.resolve("db/rollcall.mv.db"))).isTrue();
    }
}

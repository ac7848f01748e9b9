package io.rollcall.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rollcall.person.PersonRef;
import io.rollcall.storage.Database;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.PersonRepository;
import io.rollcall.storage.RecognitionLogRepository;
import io.rollcall.storage.StorageConfiguration;
import io.rollcall.storage.StoreSettings;
import java.time.Duration;
import java.time.LocalDateTime;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

class StorageWiringTest {

    @Test
    void aSpringContextOpensTheDatabaseAndWiresEveryRepositoryAndTheRecorder() {
        Database database;
        try (var context = new AnnotationConfigApplicationContext()) {
            context.registerBean(StoreSettings.class, () -> new StoreSettings(
                    "jdbc:h2:mem:wiring_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", null, 3));
            context.registerBean(AttendanceSettings.class, () -> new AttendanceSettings(Duration.ofMinutes(5)));
            context.register(StorageConfiguration.class, AttendanceConfiguration.class);
            context.refresh();

            database = context.getBean(Database.class);
            assertThat(context.getBean(DataSource.class)).isSameAs(database.dataSource());
            assertThat(context.getBeansOfType(PersonRepository.class)).hasSize(1);
            assertThat(context.getBeansOfType(FaceRepository.class)).hasSize(1);
            assertThat(context.getBeansOfType(GalleryRepository.class)).hasSize(1);
            assertThat(context.getBeansOfType(RecognitionLogRepository.class)).hasSize(1);

            LocalDateTime start = LocalDateTime.of(2026, 3, 2, 8, 0);
            JdbcClient.create(database.dataSource()).sql("INSERT INTO Sessions (Name, StartTime) VALUES ('Maths', ?)")
                    .param(start).update();
            assertThat(context.getBean(AttendanceRecorder.class).record(1, "S001", start.plusMinutes(6)).status())
                    .as("the context's 5-minute grace period").isEqualTo("Late");
            assertThat(context.getBean(FaceRepository.class).countSamples(PersonRef.student("S001"))).isZero();
        }
        assertThat(((HikariDataSource) database.dataSource()).isClosed()).isTrue();
    }
}

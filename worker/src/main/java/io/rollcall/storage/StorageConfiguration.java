package io.rollcall.storage;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring wiring for the storage layer, for a worker that runs in a Spring context: the database opened and
 * migrated ({@link StoreSettings#fromEnvironment()} unless the context holds a {@link StoreSettings}) and one of
 * each repository. Nothing
 * here is needed to use the layer: every repository works from a plain {@link DataSource}.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    /** Settings from a {@link StoreSettings} bean when the context has one, else from the environment. */
    @Bean(destroyMethod = "close")
    public Database database(ObjectProvider<StoreSettings> settings) {
        return Database.open(settings.getIfAvailable(StoreSettings::fromEnvironment));
    }

    /** Exposed so that Spring Boot, if present, uses this pool instead of creating one of its own. */
    @Bean
    public DataSource dataSource(Database database) {
        return database.dataSource();
    }

    @Bean
    public DatabaseAccess databaseAccess(Database database) {
        return database.access();
    }

    @Bean
    public PersonRepository personRepository(DatabaseAccess access) {
        return new PersonRepository(access);
    }

    @Bean
    public FaceRepository faceRepository(DatabaseAccess access) {
        return new FaceRepository(access);
    }

    @Bean
    public GalleryRepository galleryRepository(DatabaseAccess access) {
        return new GalleryRepository(access);
    }

    @Bean
    public RecognitionLogRepository recognitionLogRepository(DatabaseAccess access) {
        return new RecognitionLogRepository(access);
    }
}

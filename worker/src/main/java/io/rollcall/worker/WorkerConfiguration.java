package io.rollcall.worker;

import io.rollcall.attendance.AttendanceRecorder;
import io.rollcall.attendance.SessionRegister;
import io.rollcall.bulk.BulkImportConfiguration;
import io.rollcall.bulk.BulkImportSettings;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.enroll.EnrolledFaces;
import io.rollcall.enroll.FaceEnrollment;
import io.rollcall.enroll.QualityCheck;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryFeed;
import io.rollcall.gallery.GalleryReconciler;
import io.rollcall.gallery.GallerySnapshot;
import io.rollcall.gallery.GallerySync;
import io.rollcall.health.WorkerHealth;
import io.rollcall.health.WorkerReadiness;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.EngineHolder;
import io.rollcall.inference.PackRuntime;
import io.rollcall.packs.PackLifecycle;
import io.rollcall.packs.ShadowRecognitions;
import io.rollcall.storage.ShadowOutcomeRepository;
import io.rollcall.storage.DescriptorRepository;
import io.rollcall.storage.PackDescriptorRepository;
import io.rollcall.storage.PackSettings;
import io.rollcall.transport.KafkaGalleryFeed;
import java.util.function.Function;
import io.rollcall.inference.Photos;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.metrics.WorkerMetrics;
import io.rollcall.migrate.Migration;
import io.rollcall.recognize.FaceRecognition;
import io.rollcall.recognize.RecognitionSettings;
import io.rollcall.storage.Database;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.MigrationRepository;
import io.rollcall.storage.PersonRepository;
import io.rollcall.storage.RecognitionLogRepository;
import io.rollcall.transport.TransportConfiguration;
import io.rollcall.transport.TransportSettings;
import io.rollcall.transport.WorkerHeartbeats;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A worker's parts and how they connect: engine, database and repositories, gallery and its sync, and the use
 * cases. The Kafka side (requests, replies, gallery feed, recognition log) is {@link TransportConfiguration}, bulk
 * jobs are {@link BulkImportConfiguration}. Everything is built from the one {@link WorkerConfig}.
 */
@Configuration(proxyBeanMethods = false)
@Import({TransportConfiguration.class, BulkImportConfiguration.class})
public class WorkerConfiguration {

    @Bean
    KafkaClients kafkaClients(WorkerConfig config) {
        return config.kafka();
    }

    @Bean
    Topics topics(WorkerConfig config) {
        return config.topics();
    }

    @Bean
    TransportSettings transportSettings(WorkerConfig config) {
        return config.transport();
    }

    @Bean
    BulkImportSettings bulkImportSettings(WorkerConfig config) {
        return config.bulkImport();
    }

    @Bean
    PackSettings packSettings(DatabaseAccess db) {
        return new PackSettings(db);
    }

    /**
     * The pack the worker starts on: the committed one ({@code RollcallSettings}, written by a switch), else
     * {@code INSIGHTFACE_MODEL}. Its manifest gives the embedding size and the recommended threshold even without
     * weights.
     */
    @Bean
    ModelPack modelPack(WorkerConfig config, PackSettings packs) {
        String name = packs.state().active().orElse(config.models().packName());
        return PackCatalog.load(config.models().modelsDir()).require(name);
    }

    /** Closed by the pack lifecycle with the runtime it belongs to, which a switch retires earlier. */
    @Bean(destroyMethod = "")
    EngineHolder engineHolder(WorkerConfig config, ModelPack pack) {
        return engines(config, pack.name());
    }

    private static EngineHolder engines(WorkerConfig config, String pack) {
        ModelSettings models = new ModelSettings(config.models().modelsDir(), pack, config.models().autoDownload());
        return new EngineHolder(models, config.engine(), Duration.ofSeconds(30), Clock.systemUTC());
    }

    /** The active pack's runtime; a switch replaces it ({@link PackLifecycle}). Closed with it: see packLifecycle. */
    @Bean
    ActivePack activePack(ModelPack pack, EngineHolder engines, GallerySync sync, GalleryReconciler reconciler) {
        ActivePack active = new ActivePack(new PackRuntime(pack, engines, sync, reconciler));
        WorkerMetrics.gallery(() -> active.current().sync().gallery());
        return active;
    }

    @Bean(destroyMethod = "close")
    PackLifecycle packLifecycle(ActivePack active, WorkerConfig config, DatabaseAccess db, KafkaClients kafka, Topics topics,
                                KafkaGalleryFeed topicsCreated, WorkerHealth health, FaceRepository faces) {
        Function<String, ModelPack> catalog = name -> PackCatalog.load(config.models().modelsDir()).require(name);
        Function<String, PackRuntime> opener = name -> {
            ModelPack pack = catalog.apply(name);
            Gallery gallery = new Gallery(pack.name(), pack.embeddingDim());
            GallerySync sync = new GallerySync(gallery, new GalleryRepository(db), new KafkaGalleryFeed(kafka, topics));
            return new PackRuntime(pack, engines(config, name), sync,
                    new GalleryReconciler(sync, config.galleryReconcile(), Clock.systemUTC()));
        };
        return new PackLifecycle(active, catalog, opener, new KafkaGalleryFeed(kafka, topics), new PackSettings(db),
                new PackDescriptorRepository(db), new ShadowOutcomeRepository(db), new DescriptorRepository(db), faces, new ImageDecoder(config.images()),
                config.workerId(), health);
    }

    @Bean(destroyMethod = "close")
    ShadowRecognitions shadowRecognitions(PackLifecycle lifecycle, Photos photos, WorkerConfig config) {
        return new ShadowRecognitions(lifecycle, config::recognition, photos, config.shadowSampleRate());
    }

    @Bean
    Photos photos(WorkerConfig config) {
        return new Photos(new ImageDecoder(config.images()));
    }

    @Bean(destroyMethod = "close")
    Database database(WorkerConfig config) {
        return Database.open(config.store());
    }

    /** Exposed so that Spring Boot's health and metrics see the worker's pool instead of creating one of their own. */
    @Bean
    DataSource dataSource(Database database) {
        return database.dataSource();
    }

    @Bean
    DatabaseAccess databaseAccess(Database database) {
        return database.access();
    }

    @Bean
    PersonRepository personRepository(DatabaseAccess db) {
        return new PersonRepository(db);
    }

    @Bean
    FaceRepository faceRepository(DatabaseAccess db) {
        return new FaceRepository(db);
    }

    @Bean
    RecognitionLogRepository recognitionLogRepository(DatabaseAccess db) {
        return new RecognitionLogRepository(db);
    }

    @Bean
    Gallery gallery(ModelPack pack, WorkerConfig config) {
        return new Gallery(pack.name(), pack.embeddingDim(), config.galleryDir());
    }

    /** Closed with its runtime, as the engine (closing writes the gallery's snapshot). */
    @Bean(destroyMethod = "")
    GallerySync gallerySync(Gallery gallery, DatabaseAccess db, GalleryFeed feed, WorkerConfig config) {
        GallerySnapshot snapshot = config.gallerySnapshot() ? new GallerySnapshot(config.galleryDir(), gallery.modelPack()) : null;
        return new GallerySync(gallery, new GalleryRepository(db), feed, snapshot);
    }

    /** Closed with its runtime, as the engine. */
    @Bean(destroyMethod = "")
    GalleryReconciler galleryReconciler(GallerySync sync, WorkerConfig config) {
        return new GalleryReconciler(sync, config.galleryReconcile(), Clock.systemUTC());
    }

    @Bean
    RecognitionSettings recognitionSettings(WorkerConfig config, ModelPack pack) {
        return config.recognition(pack);
    }

    @Bean
    AttendanceRecorder attendanceRecorder(DatabaseAccess db, WorkerConfig config) {
        return new AttendanceRecorder(db, config.attendance());
    }

    @Bean
    SessionRegister sessionRegister(DatabaseAccess db, PersonRepository persons, AttendanceRecorder recorder) {
        return new SessionRegister(db, persons, recorder);
    }

    @Bean
    FaceEnrollment faceEnrollment(WorkerConfig config, ActivePack active, Photos photos, DatabaseAccess db, FaceRepository faces,
                                  PersonRepository persons) {
        return new FaceEnrollment(config::enrollment, pack -> config.recognition(pack).decision(), active, photos, db, faces,
                persons);
    }

    @Bean
    Migration migration(FaceEnrollment enrollment, DatabaseAccess db, ActivePack active, WorkerConfig config) {
        return new Migration(enrollment, new MigrationRepository(db), active, new GalleryRepository(db),
                pack -> config.recognition(pack).decision(), config.strangerRate());
    }

    @Bean
    EnrolledFaces enrolledFaces(FaceRepository faces, ActivePack active) {
        return new EnrolledFaces(faces, active);
    }

    @Bean
    FaceRecognition faceRecognition(ActivePack active, Photos photos, AttendanceRecorder attendance, WorkerConfig config) {
        return new FaceRecognition(config::recognition, active, photos, attendance, config.attendance());
    }

    @Bean
    QualityCheck qualityCheck(ActivePack active, Photos photos) {
        return new QualityCheck(active, photos);
    }

    /** The worker's readiness, named "worker" in the health groups ({@link WorkerApplication}). */
    @Bean
    WorkerReadiness workerHealthIndicator(WorkerHealth health, WorkerHeartbeats heartbeats) {
        return new WorkerReadiness(health, heartbeats::brokerReachable);
    }

    @Bean
    WorkerHealth workerHealth(ActivePack active, DatabaseAccess db, WorkerConfig config) {
        return new WorkerHealth(active, db, pack -> config.recognition(pack).decision());
    }
}

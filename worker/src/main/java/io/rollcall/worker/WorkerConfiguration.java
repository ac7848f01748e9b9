package io.rollcall.worker;

import io.rollcall.attendance.AttendanceRecorder;
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
import io.rollcall.inference.EngineHolder;
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

    /** The active pack's manifest: it gives the embedding size and the recommended threshold even without weights. */
    @Bean
    ModelPack modelPack(WorkerConfig config) {
        return PackCatalog.load(config.models().modelsDir()).require(config.models().packName());
    }

    @Bean(destroyMethod = "close")
    EngineHolder engineHolder(WorkerConfig config) {
        return new EngineHolder(config.models(), config.engine(), Duration.ofSeconds(30), Clock.systemUTC());
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
        Gallery gallery = new Gallery(pack.name(), pack.embeddingDim(), config.galleryDir());
        WorkerMetrics.gallery(gallery);
        return gallery;
    }

    @Bean(destroyMethod = "close")
    GallerySync gallerySync(Gallery gallery, DatabaseAccess db, GalleryFeed feed, WorkerConfig config) {
        GallerySnapshot snapshot = config.gallerySnapshot() ? new GallerySnapshot(config.galleryDir(), gallery.modelPack()) : null;
        return new GallerySync(gallery, new GalleryRepository(db), feed, snapshot);
    }

    @Bean(destroyMethod = "close")
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
    FaceEnrollment faceEnrollment(WorkerConfig config, ModelPack pack, RecognitionSettings recognition, EngineHolder engines,
                                  Photos photos, GallerySync sync, DatabaseAccess db, FaceRepository faces,
                                  PersonRepository persons) {
        return new FaceEnrollment(config.enrollment(pack), recognition.decision(), engines, photos, sync, db, faces, persons);
    }

    @Bean
    Migration migration(FaceEnrollment enrollment, DatabaseAccess db, GallerySync sync, RecognitionSettings recognition,
                        WorkerConfig config) {
        return new Migration(enrollment, new MigrationRepository(db), sync, new GalleryRepository(db),
                recognition.decision(), config.strangerRate());
    }

    @Bean
    EnrolledFaces enrolledFaces(FaceRepository faces, GallerySync sync) {
        return new EnrolledFaces(faces, sync);
    }

    @Bean
    FaceRecognition faceRecognition(RecognitionSettings settings, EngineHolder engines, Photos photos, GallerySync sync,
                                    AttendanceRecorder attendance, WorkerConfig config) {
        return new FaceRecognition(settings, engines, photos, sync, attendance, config.attendance());
    }

    @Bean
    QualityCheck qualityCheck(EngineHolder engines, Photos photos) {
        return new QualityCheck(engines, photos);
    }

    /** The worker's readiness, named "worker" in the health groups ({@link WorkerApplication}). */
    @Bean
    WorkerReadiness workerHealthIndicator(WorkerHealth health, WorkerHeartbeats heartbeats) {
        return new WorkerReadiness(health, heartbeats::brokerReachable);
    }

    @Bean
    WorkerHealth workerHealth(EngineHolder engines, GallerySync sync, GalleryReconciler reconciler, DatabaseAccess db,
                              RecognitionSettings settings) {
        return new WorkerHealth(engines, sync, reconciler, db, settings.decision());
    }
}

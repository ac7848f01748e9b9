package io.rollcall.bulk;

import io.rollcall.enroll.FaceEnrollment;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.migrate.Migration;
import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.MigrationJob;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker's job parts: a consumer per job topic (CSV bulk imports, migrations from the old system), the runner
 * behind each, and the one progress publisher they share. Needs the worker's {@link FaceEnrollment},
 * {@link Migration}, {@link BulkImportSettings} and Kafka clients (see {@code WorkerConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class BulkImportConfiguration {
    private static final Logger log = LoggerFactory.getLogger(BulkImportConfiguration.class);

    @Bean(destroyMethod = "close")
    ProgressPublisher bulkProgressPublisher(KafkaClients kafka, Topics topics, BulkImportSettings bulk) {
        return new ProgressPublisher(kafka, topics, bulk.workerId());
    }

    @Bean
    BulkJobRunner bulkJobRunner(FaceEnrollment enrollment, BulkImportSettings bulk, ProgressPublisher progress) {
        try {
            // Created when missing, so the one-process start has a folder to put photos in; one that cannot be
            // created (a volume not mounted) is reported by each job instead (ABORTED, SERVICE_UNAVAILABLE).
            Files.createDirectories(bulk.importDir());
        } catch (IOException e) {
            log.warn("Bulk import folder {} could not be created: {}", bulk.importDir(), e.getMessage());
        }
        log.info("Bulk import photos are read from {}", bulk.importDir());
        return new BulkJobRunner(enrollment, bulk.importDir(), bulk.maxImageBytes(), progress);
    }

    @Bean
    JobConsumer<BulkEnrollJob> bulkJobConsumer(KafkaClients kafka, Topics topics, BulkJobRunner runner) {
        return new JobConsumer<>(kafka, topics.bulkJobs(), "rollcall-bulk-importers", BulkEnrollJob.class, "bulk-job", runner);
    }

    @Bean
    JobConsumer<MigrationJob> migrationJobConsumer(KafkaClients kafka, Topics topics, Migration migration,
                                                  ProgressPublisher progress) {
        return new JobConsumer<>(kafka, topics.migrationJobs(), "rollcall-migrators", MigrationJob.class, "migration-job",
                new MigrationJobRunner(migration, progress));
    }
}

package io.rollcall.bulk;

import io.rollcall.enroll.FaceEnrollment;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker's bulk-import parts: the job consumer, the runner behind it and the progress publisher. Needs the
 * worker's {@link FaceEnrollment}, {@link BulkImportSettings} and Kafka clients (see {@code WorkerConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class BulkImportConfiguration {
    private static final Logger log = LoggerFactory.getLogger(BulkImportConfiguration.class);

    @Bean(destroyMethod = "close")
    ProgressPublisher bulkProgressPublisher(KafkaClients kafka, Topics topics) {
        return new ProgressPublisher(kafka, topics);
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
        return new BulkJobRunner(enrollment, bulk.importDir(), bulk.maxImageBytes(), progress, bulk.workerId());
    }

    @Bean
    BulkJobConsumer bulkJobConsumer(KafkaClients kafka, Topics topics, BulkJobRunner runner) {
        return new BulkJobConsumer(kafka, topics, runner);
    }
}

package io.rollcall.ingress.bulk;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.TopicFollower;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.MigrationJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Jobs over Kafka: a bulk import is published on {@code rollcall.bulk.jobs}, a migration or rollback on
 * {@code rollcall.migration.jobs}, each keyed by its id, and a reader thread follows {@code rollcall.bulk.progress}
 * (where both report) from its beginning into a {@link JobBoard} ({@link TopicFollower}). The progress topic is compacted
 * by job id, so reading it whole at start costs one event per recent job (plus the not-yet-compacted tail) and
 * gives a restarted ingress every recent job's status. The reader belongs to no consumer group: every ingress
 * instance reads every partition.
 */
public final class KafkaBulkJobs implements BulkJobs, AutoCloseable {
    private final String jobsTopic;
    private final String migrationTopic;
    private final Duration sendTimeout;
    private final KafkaProducer<String, BulkEnrollJob> producer;
    private final KafkaProducer<String, MigrationJob> migrationProducer;
    private final JobBoard board = new JobBoard();
    private final TopicFollower<BulkJobProgress> progress;

    public KafkaBulkJobs(KafkaClients kafka, Topics topics, Duration sendTimeout) {
        this.jobsTopic = topics.bulkJobs();
        this.migrationTopic = topics.migrationJobs();
        this.sendTimeout = sendTimeout;
        this.producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(BulkEnrollJob.class));
        this.migrationProducer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(MigrationJob.class));
        this.progress = new TopicFollower<>(kafka, topics.bulkProgress(), BulkJobProgress.class, board::apply);
    }

    @Override
    public void submit(BulkEnrollJob job) {
        send(producer, new ProducerRecord<>(jobsTopic, job.getJobId(), job));
        board.queued(job.getJobId(), job.getItems().size(), job.getSourceName(), Instant.now());
    }

    /** Queued with a total of 0: how many people it takes is known once a worker has selected them. */
    @Override
    public void submit(MigrationJob job) {
        send(migrationProducer, new ProducerRecord<>(migrationTopic, job.getJobId(), job));
        board.queued(job.getJobId(), 0, null, Instant.now());
    }

    private <V> void send(KafkaProducer<String, V> to, ProducerRecord<String, V> record) {
        try {
            to.send(record).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<JobState> find(String jobId) {
        return board.find(jobId);
    }

    private static RollcallException unavailable(Exception e) {
        return new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "The job could not be handed to the workers",
                Map.of(), e);
    }

    @Override
    public void close() {
        progress.close();
        producer.close(Duration.ofSeconds(5));
        migrationProducer.close(Duration.ofSeconds(5));
    }
}

package io.rollcall.ingress.bulk;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.messaging.AvroDeserializer;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.MigrationJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs over Kafka: a bulk import is published on {@code rollcall.bulk.jobs}, a migration or rollback on
 * {@code rollcall.migration.jobs}, each keyed by its id, and a reader thread follows {@code rollcall.bulk.progress}
 * (where both report) from its beginning into a {@link JobBoard}. The progress topic is compacted
 * by job id, so reading it whole at start costs one event per recent job (plus the not-yet-compacted tail) and
 * gives a restarted ingress every recent job's status. The reader belongs to no consumer group: every ingress
 * instance reads every partition.
 */
public final class KafkaBulkJobs implements BulkJobs, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaBulkJobs.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How often to look again for the progress topic while no worker has created it yet. */
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(2);

    private final String jobsTopic;
    private final String migrationTopic;
    private final String progressTopic;
    private final Duration sendTimeout;
    private final KafkaProducer<String, BulkEnrollJob> producer;
    private final KafkaProducer<String, MigrationJob> migrationProducer;
    private final KafkaConsumer<String, BulkJobProgress> consumer;
    private final JobBoard board = new JobBoard();
    private final Thread reader;
    private volatile boolean running = true;

    public KafkaBulkJobs(KafkaClients kafka, Topics topics, Duration sendTimeout) {
        this.jobsTopic = topics.bulkJobs();
        this.migrationTopic = topics.migrationJobs();
        this.progressTopic = topics.bulkProgress();
        this.sendTimeout = sendTimeout;
        this.producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(BulkEnrollJob.class));
        this.migrationProducer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(MigrationJob.class));
        Map<String, Object> config = kafka.consumer("unused");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new AvroDeserializer<>(BulkJobProgress.class));
        this.reader = Thread.ofPlatform().name("bulk-progress").daemon().start(this::read);
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

    private void read() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                try {
                    for (ConsumerRecord<String, BulkJobProgress> record : consumer.poll(POLL)) {
                        if (record.value() != null) {
                            board.apply(record.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    log.warn("Skipping unreadable bulk progress event at {} offset {}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            log.error("Bulk job progress reader stopped; bulk job status is frozen until the ingress restarts", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    /** The progress topic's partitions, once a worker has created the topic. */
    private List<TopicPartition> awaitPartitions() {
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(progressTopic, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.debug("Kafka not reachable yet for the bulk progress topic: {}", e.getMessage());
            }
            try {
                Thread.sleep(TOPIC_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        throw new WakeupException();
    }

    private static RollcallException unavailable(Exception e) {
        return new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "The job could not be handed to the workers",
                Map.of(), e);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        migrationProducer.close(Duration.ofSeconds(5));
    }
}

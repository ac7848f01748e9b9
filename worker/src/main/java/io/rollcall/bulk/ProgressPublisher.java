package io.rollcall.bulk;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.BulkJobProgress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a job's progress on the compacted progress topic, keyed by job id so that the latest event of a job is
 * its status. Each send waits for Kafka's acknowledgement: a job is not counted as finished (and its offset not
 * committed) before its final status is durable.
 */
final class ProgressPublisher implements AutoCloseable {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final String topic;
    private final KafkaProducer<String, BulkJobProgress> producer;

    ProgressPublisher(KafkaClients kafka, Topics topics) {
        this.topic = topics.bulkProgress();
        this.producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(BulkJobProgress.class));
    }

    /** @throws RollcallException {@code SERVICE_UNAVAILABLE} when Kafka does not acknowledge it in time */
    void publish(BulkJobProgress progress) {
        try {
            producer.send(new ProducerRecord<>(topic, progress.getJobId(), progress)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static RollcallException unavailable(Exception e) {
        return new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "could not publish bulk job progress to Kafka", Map.of(), e);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

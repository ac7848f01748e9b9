package io.rollcall.service;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.MessageKeys;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.RecognitionLogEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The worker's outgoing events. Both are sent synchronously (acknowledged by all in-sync replicas) before the
 * request is answered: an acknowledged enrollment's gallery change and every recognition's log event are durable
 * before the caller hears about them.
 */
public final class Publishers implements AutoCloseable {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final Topics topics;
    private final KafkaProducer<String, GalleryChange> changes;
    private final KafkaProducer<String, RecognitionLogEvent> logs;

    public Publishers(KafkaClients kafka, Topics topics) {
        this.topics = topics;
        this.changes = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(GalleryChange.class));
        this.logs = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(RecognitionLogEvent.class));
    }

    /** @return the change's offset in the single-partition topic: the gallery version that includes it */
    public long change(GalleryChange change) {
        return send(changes, new ProducerRecord<>(topics.galleryChanges(), 0, MessageKeys.galleryChange(change), change), "gallery change");
    }

    public void log(RecognitionLogEvent event) {
        send(logs, new ProducerRecord<>(topics.recognitionLogs(), event.getRequestId(), event), "recognition log event");
    }

    private static <T> long send(KafkaProducer<String, T> producer, ProducerRecord<String, T> record, String what) {
        try {
            return producer.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unavailable(what, e);
        }
    }

    private static RollcallException unavailable(String what, Exception e) {
        return new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "could not publish the " + what + " to Kafka", Map.of(), e);
    }

    @Override
    public void close() {
        changes.close(Duration.ofSeconds(5));
        logs.close(Duration.ofSeconds(5));
    }
}

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The worker's outgoing events. A gallery change is sent synchronously (acknowledged by all in-sync replicas)
 * before the enrollment is answered: its offset is the gallery version that read-your-writes waits for. A
 * recognition's log event is only started before the answer; the request's offset is committed after its
 * acknowledgement (see {@link RequestListener}), so a worker that dies in between leaves the request to be
 * redelivered, and the log event is written then (the database writer drops duplicates by request id).
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

    /** Starts sending a recognition's log event. @return completes when Kafka has acknowledged it */
    public CompletableFuture<Void> log(RecognitionLogEvent event) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            logs.send(new ProducerRecord<>(topics.recognitionLogs(), event.getRequestId(), event), (metadata, failure) -> {
                if (failure == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(unavailable("recognition log event", failure));
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(unavailable("recognition log event", e));
        }
        return acknowledged;
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

    private static RollcallException unavailable(String what, Throwable e) {
        return new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "could not publish the " + what + " to Kafka", Map.of(), e);
    }

    @Override
    public void close() {
        changes.close(Duration.ofSeconds(5));
        logs.close(Duration.ofSeconds(5));
    }
}

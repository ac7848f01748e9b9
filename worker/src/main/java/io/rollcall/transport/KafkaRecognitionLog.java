package io.rollcall.transport;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.packs.ShadowOutcome;
import io.rollcall.person.PersonRef;
import io.rollcall.recognize.RecognitionLog;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.RecognitionLogEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Recognition-log events on Kafka. A recognition's events are only started before its reply; the request's offset
 * is committed after their acknowledgement (see {@link RequestListener}), so a worker that dies in between leaves
 * the request to be redelivered, and the events are written then (the database writer drops duplicates by event id).
 */
public final class KafkaRecognitionLog implements AutoCloseable {
    private final Topics topics;
    private final String workerId;
    private final KafkaProducer<String, RecognitionLogEvent> producer;

    public KafkaRecognitionLog(KafkaClients kafka, Topics topics, String workerId) {
        this.topics = topics;
        this.workerId = workerId;
        this.producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(RecognitionLogEvent.class));
    }

    /** The log of one request: numbers its events, times them from {@code startNanos}, collects their acknowledgements. */
    ForRequest forRequest(FaceRequest request, long startNanos) {
        return new ForRequest(request, startNanos);
    }

    final class ForRequest implements RecognitionLog {
        private final FaceRequest request;
        private final long startNanos;
        private final List<CompletableFuture<Void>> sent = new ArrayList<>();

        private ForRequest(FaceRequest request, long startNanos) {
            this.request = request;
            this.startNanos = startNanos;
        }

        @Override
        public void record(RecognitionEvent e) {
            Optional<GalleryMatch> m = e.match();
            RecognitionLogEvent event = RecognitionLogEvent.newBuilder()
                    .setEventId(eventId(request, sent.size())).setRequestId(request.getRequestId()).setOccurredAt(Instant.now())
                    .setOperation(e.operation()).setSuccess(m.isPresent())
                    .setPersonType(m.map(x -> AvroMapping.wire(x.person().type())).orElse(null))
                    .setPersonCode(m.map(x -> x.person().code()).orElse(null))
                    .setConfidence(e.confidence())
                    .setSimilarity(m.map(x -> AvroMapping.round(x.similarity())).orElse(null))
                    .setProcessingTimeMs((int) ((System.nanoTime() - startNanos) / 1_000_000))
                    .setSourceImageName(e.sourceImageName()).setErrorCode(e.error() == null ? null : e.error().name())
                    .setWorkerId(workerId).setModelPack(e.modelPack()).setSessionId(e.sessionId()).build();
            sent.add(send(event));
        }

        /** Completes when Kafka has acknowledged every event recorded so far. */
        CompletableFuture<Void> acknowledged() {
            return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
        }
    }

    /**
     * A request's recognition as the shadow candidate saw it: an event of operation {@code shadow_recognize} carrying
     * the {@link ShadowOutcome}; its id is derived from the request, so a redelivered request writes it once.
     */
    public void shadow(FaceRequest request, ShadowOutcome o) {
        PersonRef active = o.activePerson();
        RecognitionLogEvent event = RecognitionLogEvent.newBuilder()
                .setEventId(eventId(request, SHADOW_EVENT)).setRequestId(request.getRequestId()).setOccurredAt(Instant.now())
                .setOperation("shadow_recognize").setSuccess(active != null)
                .setPersonType(active == null ? null : AvroMapping.wire(active.type()))
                .setPersonCode(active == null ? null : active.code())
                .setSimilarity(o.activeSimilarity()).setProcessingTimeMs(o.activeMs())
                .setWorkerId(workerId).setModelPack(o.candidatePack())
                .setShadow(AvroMapping.shadow(o)).build();
        send(event);
    }

    /** The shadow event's number among a request's events: beyond any group photo's faces. */
    private static final int SHADOW_EVENT = 1_000_000;

    /**
     * The n-th log event of a request, the same each time the request is handled: a request redelivered after a
     * worker crash produces the same event ids, and the writer's unique EventId keeps one row of each. The request
     * id alone is not enough (callers may reuse their X-Request-Id), so the ingress's receipt time and the client
     * are part of it.
     */
    static String eventId(FaceRequest request, int n) {
        String identity = request.getRequestId() + "/" + request.getReceivedAt().toEpochMilli() + "/" + request.getClient() + "/" + n;
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private CompletableFuture<Void> send(RecognitionLogEvent event) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topics.recognitionLogs(), event.getRequestId(), event), (metadata, failure) -> {
                if (failure == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(unavailable(failure));
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(unavailable(e));
        }
        return acknowledged;
    }

    private static RollcallException unavailable(Throwable e) {
        return new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "could not publish the recognition log event to Kafka", Map.of(), e);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

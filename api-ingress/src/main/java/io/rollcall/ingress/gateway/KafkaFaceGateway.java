package io.rollcall.ingress.gateway;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.json.Json;
import io.rollcall.messaging.MessageKeys;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.ErrorInfo;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.requestreply.KafkaReplyTimeoutException;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.requestreply.RequestReplyFuture;

/**
 * Request-reply over Kafka: the request goes to the requests topic, a worker answers on the replies topic, and
 * spring-kafka's {@link ReplyingKafkaTemplate} pairs the two by a correlation header. The request carries its
 * deadline, so a worker that picks it up after the caller gave up skips the work.
 */
public final class KafkaFaceGateway implements FaceGateway {
    private static final Logger log = LoggerFactory.getLogger(KafkaFaceGateway.class);
    private static final Timer TRANSPORT = Timer.builder("rollcall.ingress.transport")
            .description("Request-reply round trip through Kafka minus the worker's processing time")
            .publishPercentileHistogram().register(Metrics.globalRegistry);
    private final ReplyingKafkaTemplate<String, FaceRequest, FaceReply> template;
    private final Topics topics;
    private final Duration timeout;

    public KafkaFaceGateway(ReplyingKafkaTemplate<String, FaceRequest, FaceReply> template, Topics topics, Duration timeout) {
        this.template = template;
        this.topics = topics;
        this.timeout = timeout;
    }

    @Override
    public FaceReply call(String requestId, String client, SpecificRecord command) {
        Instant now = Instant.now();
        FaceRequest request = FaceRequest.newBuilder()
                .setRequestId(requestId)
                .setReceivedAt(now)
                .setClient(client)
                .setExpiresAt(now.plus(timeout))
                .setCommand(command)
                .build();
        ProducerRecord<String, FaceRequest> record = new ProducerRecord<>(topics.faceRequests(), MessageKeys.faceRequest(request), request);
        FaceReply reply;
        try {
            long sent = System.nanoTime();
            RequestReplyFuture<String, FaceRequest, FaceReply> future = template.sendAndReceive(record, timeout);
            ConsumerRecord<String, FaceReply> answer = future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            reply = answer.value();
            log.debug("{} answered by {} after {} ms", command.getSchema().getName(), reply == null ? "?" : reply.getWorkerId(),
                    (System.nanoTime() - sent) / 1_000_000);
            if (reply != null) {
                // What Kafka and the two message encodings add to the worker's own time, per round trip.
                TRANSPORT.record(Math.max(0, System.nanoTime() - sent - reply.getProcessingTimeMs() * 1_000_000L), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw timedOut();
        } catch (TimeoutException e) {
            throw timedOut();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaReplyTimeoutException ? timedOut() : unavailable(e.getCause());
        } catch (KafkaException e) {
            throw unavailable(e);
        }
        if (reply == null) {
            throw new RollcallException(ErrorCode.INTERNAL_ERROR, "The worker's reply could not be read");
        }
        if (!reply.getSuccess()) {
            throw toException(reply.getError());
        }
        return reply;
    }

    private RollcallException timedOut() {
        return new RollcallException(ErrorCode.REQUEST_TIMEOUT, "No worker answered within " + timeout.toMillis() + " ms",
                Map.of("timeout_ms", timeout.toMillis()));
    }

    private static RollcallException unavailable(Throwable cause) {
        return new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "The request could not be handed to the workers",
                Map.of(), cause);
    }

    /** A worker's error, with its code and details, as if it had been thrown here. */
    static RollcallException toException(ErrorInfo error) {
        if (error == null) {
            return new RollcallException(ErrorCode.INTERNAL_ERROR, "The worker reported a failure without details");
        }
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(error.getCode());
        } catch (IllegalArgumentException e) {
            code = ErrorCode.INTERNAL_ERROR;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (error.getDetailsJson() != null && !error.getDetailsJson().isBlank()) {
            try {
                // Null values are left out: RollcallException's details cannot hold them, and they say nothing.
                Json.MAPPER.readTree(error.getDetailsJson()).properties().stream()
                        .filter(e -> !e.getValue().isNull())
                        .forEach(e -> details.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class)));
            } catch (RuntimeException ignored) {
                details.put("worker_details", error.getDetailsJson());
            }
        }
        details.remove("suggestion");
        return new RollcallException(code, error.getMessage(), details);
    }
}

package io.rollcall.transport;

import io.rollcall.metrics.WorkerMetrics;
import io.rollcall.schemas.ErrorInfo;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Consumes face requests and answers each on the reply topic with the caller's correlation id. The reply and the
 * request's recognition log events are acknowledged by Kafka before this method returns, and the container commits
 * the request's offset only after that: a worker that dies mid-request leaves it to be redelivered to another worker.
 */
public final class RequestListener implements MessageListener<String, FaceRequest> {
    private static final Logger log = LoggerFactory.getLogger(RequestListener.class);

    private static final Duration ACKNOWLEDGEMENT_TIMEOUT = Duration.ofSeconds(15);

    private final RequestDispatcher handler;
    private final KafkaTemplate<String, FaceReply> replies;
    private final String defaultReplyTopic;

    public RequestListener(RequestDispatcher handler, KafkaTemplate<String, FaceReply> replies, String defaultReplyTopic) {
        this.handler = handler;
        this.replies = replies;
        this.defaultReplyTopic = defaultReplyTopic;
    }

    @Override
    public void onMessage(ConsumerRecord<String, FaceRequest> record) {
        WorkerMetrics.requestWait(System.currentTimeMillis() - record.timestamp());
        FaceRequest request = record.value();
        MDC.put("request_id", request.getRequestId());
        try {
            RequestDispatcher.Handled handled = handler.handle(request);
            FaceReply reply = handled.reply();
            if (!reply.getSuccess()) {
                log.info("{} {} -> {}", request.getCommand().getClass().getSimpleName(), request.getRequestId(), reply.getError().getCode());
            } else {
                log.debug("{} handled in {} ms", request.getCommand().getClass().getSimpleName(), reply.getProcessingTimeMs());
            }
            // The reply goes out while the recognition log events are still being acknowledged; the request is
            // done (and its offset committed by the container) only once both are.
            CompletableFuture<?> replied = send(record.headers(), reply);
            await(CompletableFuture.allOf(replied, handled.eventsAcknowledged()), reply.getRequestId());
            handled.afterReply().run();
        } finally {
            MDC.remove("request_id");
        }
    }

    /** Sends a reply to where the request asked, carrying its correlation id. @return Kafka's acknowledgement */
    CompletableFuture<?> send(Headers requestHeaders, FaceReply reply) {
        Header topicHeader = requestHeaders.lastHeader(KafkaHeaders.REPLY_TOPIC);
        String topic = topicHeader == null ? defaultReplyTopic : new String(topicHeader.value(), StandardCharsets.UTF_8);
        ProducerRecord<String, FaceReply> out = new ProducerRecord<>(topic, reply.getRequestId(), reply);
        Header correlation = requestHeaders.lastHeader(KafkaHeaders.CORRELATION_ID);
        if (correlation != null) {
            out.headers().add(KafkaHeaders.CORRELATION_ID, correlation.value());
        }
        return replies.send(out);
    }

    /** Waits for Kafka's acknowledgements; a failure leaves the request uncommitted, to be retried. */
    static void await(CompletableFuture<?> acknowledged, String requestId) {
        try {
            acknowledged.get(ACKNOWLEDGEMENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replying to " + requestId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not reply to " + requestId + " or log it", e);
        }
    }

    /** The answer for a request that could not be read or handled at all (it goes to the dead-letter topic). */
    FaceReply poisonReply(String workerId, String reason) {
        return FaceReply.newBuilder().setRequestId("unknown").setSuccess(false).setWorkerId(workerId).setProcessingTimeMs(0)
                .setError(ErrorInfo.newBuilder().setCode("VALIDATION_ERROR")
                        .setMessage("The request could not be processed and was set aside: " + reason).build())
                .build();
    }
}

package io.rollcall.bulk;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.json.Json;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.BulkItemFailure;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.BulkJobStatus;
import io.rollcall.schemas.ErrorInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this worker's jobs' progress (bulk imports and migrations alike) on the compacted progress topic, keyed
 * by job id so that the latest event of a job is its status. Each send waits for Kafka's acknowledgement: a job is not
 * counted as finished (and its offset not committed) before its final status is durable.
 */
final class ProgressPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProgressPublisher.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final String topic;
    private final String workerId;
    private final KafkaProducer<String, BulkJobProgress> producer;

    /** @param workerId names this worker in every event */
    ProgressPublisher(KafkaClients kafka, Topics topics, String workerId) {
        this.topic = topics.bulkProgress();
        this.workerId = workerId;
        this.producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(BulkJobProgress.class));
    }

    /**
     * Publishes one state of a job.
     *
     * @param lastError  the most recent failure, or null
     * @param reportJson the job's report, for kinds of job that make one; null otherwise
     * @throws RollcallException {@code SERVICE_UNAVAILABLE} when Kafka does not acknowledge it in time
     */
    void publish(String jobId, BulkJobStatus status, int total, int done, int failed, BulkItemFailure lastError,
                 String reportJson) {
        publish(BulkJobProgress.newBuilder().setJobId(jobId).setStatus(status).setTotal(total).setDone(done)
                .setFailed(failed).setLastError(lastError).setWorkerId(workerId).setUpdatedAt(Instant.now())
                .setReportJson(reportJson).build());
    }

    /**
     * Reports a job whose message cannot be read as ABORTED, with {@code message} saying what to do; a failure to
     * publish it is logged, not thrown: the unreadable message is skipped either way.
     */
    void unreadable(String jobId, String message) {
        try {
            publish(jobId, BulkJobStatus.ABORTED, 0, 0, 0, failure(-1, null, null,
                    new RollcallException(ErrorCode.VALIDATION_ERROR, message)), null);
        } catch (RollcallException e) {
            log.warn("Could not report unreadable job {}: {}", jobId, e.getMessage());
        }
    }

    /**
     * A failure as the progress topic carries it: {@code index} is the item's ({@code -1}, and no person or line, for
     * the job as a whole), the error its stable code, message and details.
     */
    static BulkItemFailure failure(int index, String personCode, Integer sourceLine, RollcallException e) {
        String details = e.details().isEmpty() ? null : Json.MAPPER.writeValueAsString(e.details());
        return BulkItemFailure.newBuilder()
                .setItemIndex(index)
                .setPersonCode(personCode)
                .setSourceLine(sourceLine)
                .setError(ErrorInfo.newBuilder().setCode(e.code().name()).setMessage(e.getMessage()).setDetailsJson(details).build())
                .build();
    }

    /** @throws RollcallException {@code SERVICE_UNAVAILABLE} when Kafka does not acknowledge it in time */
    private void publish(BulkJobProgress progress) {
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

package io.rollcall.transport;

import io.rollcall.health.WorkerHealth;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.StatusResult;
import io.rollcall.schemas.WorkerHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this worker's state to the compacted worker-status topic when it starts, every {@link #EVERY} and when it
 * stops, so that {@code GET /api/health} can show every worker (a health request itself reaches only one). A
 * heartbeat that cannot be sent is skipped: the next one says the same, newer.
 */
public final class WorkerHeartbeats implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerHeartbeats.class);
    /** Often enough that a stopped worker disappears from health within half a minute (the ingress allows 3 missed). */
    static final Duration EVERY = Duration.ofSeconds(10);

    private final String workerId;
    private final String topic;
    private final WorkerHealth health;
    private final KafkaProducer<String, WorkerHeartbeat> producer;
    private final Thread thread;
    private volatile boolean running = true;
    /** The state last sent; the last word of a stopping worker repeats it rather than asking a closing database. */
    private volatile StatusResult lastStatus;
    /** When the broker last acknowledged a heartbeat; null before the first. */
    private volatile Instant lastAcknowledged;

    public WorkerHeartbeats(KafkaClients kafka, Topics topics, String workerId, WorkerHealth health) {
        this.workerId = workerId;
        this.topic = topics.workerStatus();
        this.health = health;
        this.producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(WorkerHeartbeat.class));
        this.thread = Thread.ofPlatform().name("worker-heartbeat").daemon().start(this::run);
    }

    private void run() {
        while (running) {
            try {
                lastStatus = AvroMapping.status(health.status());
            } catch (RuntimeException e) {
                log.debug("Worker status not read: {}", e.toString());
            }
            send(false);
            try {
                health.awaitChange(EVERY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send(boolean stopping) {
        StatusResult status = lastStatus;
        if (status == null) {
            return;
        }
        try {
            WorkerHeartbeat beat = WorkerHeartbeat.newBuilder().setWorkerId(workerId).setSentAt(Instant.now())
                    .setStopping(stopping).setStatus(status).build();
            producer.send(new ProducerRecord<>(topic, workerId, beat)).get(EVERY.toMillis(), TimeUnit.MILLISECONDS);
            lastAcknowledged = Instant.now();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Heartbeat not sent: {}", e.toString());
        }
    }

    /**
     * Whether the Kafka broker acknowledged a heartbeat within the last three intervals, as the ingress's roster
     * allows: a worker whose heartbeats stop reaching the broker cannot receive requests or send replies either.
     */
    public boolean brokerReachable(Instant now) {
        Instant acknowledged = lastAcknowledged;
        return acknowledged != null && acknowledged.isAfter(now.minus(EVERY.multipliedBy(3)));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        send(true);
        producer.close(Duration.ofSeconds(2));
    }
}

package io.rollcall.bulk;

import io.rollcall.messaging.AvroDeserializer;
import io.rollcall.messaging.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Takes jobs from one job topic ({@code rollcall.bulk.jobs}, {@code rollcall.migration.jobs}), one at a time per
 * worker, and commits a job's offset only once it has ended (its COMPLETED or ABORTED status is on the progress
 * topic). A worker that stops or dies half-way leaves the job uncommitted, and it runs again on whichever worker gets
 * its partition; its runner makes that safe (a bulk import's items enrolled the first time count as done, see
 * {@link BulkJobRunner}; a migration finds its people where it left them, see {@link MigrationJobRunner}).
 *
 * <p>A plain consumer rather than a Spring listener container, because a job may run for an hour while a container
 * calls its listener on the polling thread: past {@code max.poll.interval.ms} the worker would be dropped from the
 * group and the job handed to another worker while it still runs. Here the job runs on a thread of its own and
 * the consumer goes on polling with its partitions paused, so it stays in the group; when a rebalance takes the
 * job's partition away, the job is stopped between two items before the partition is released. Partitions are
 * assigned cooperatively, so a worker joining moves only the partitions it gets, not every running job.
 *
 * <p>A {@link SmartLifecycle}: a worker shutting down stops it (the running job at the end of its current item) in
 * the same phase as its listener containers, while the database and Kafka clients the job uses are still open.
 *
 * @param <J> the job message
 */
final class JobConsumer<J extends SpecificRecord> implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(JobConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** After a job failed for want of Kafka (its progress could not be published), wait before running it again. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** Longest wait for a running job to reach the end of its current item when it must stop. */
    private static final Duration STOP_WAIT = Duration.ofMinutes(2);

    private final String topic;
    private final String name;
    private final Map<String, Object> config;
    private final AvroDeserializer<J> jobs;
    private final JobRunner<J> runner;
    private final ExecutorService executor;
    private volatile Thread thread;
    private volatile boolean running;

    // Touched only by the polling thread (rebalance callbacks run inside poll on it), apart from wakeup().
    private KafkaConsumer<String, byte[]> consumer;
    private Running current;
    private final Map<TopicPartition, OffsetAndMetadata> pendingCommits = new HashMap<>();
    private long resumeAtNanos;
    private boolean backingOff;

    /** The job in progress: where its message is, and how to stop it. */
    private record Running(TopicPartition partition, long offset, String jobId, AtomicBoolean stop, Future<Boolean> outcome) {
    }

    /**
     * @param topic the job topic
     * @param group the consumer group of every worker taking these jobs
     * @param type  the job message's class
     * @param name  names the threads ({@code <name>s} polls, {@code <name>} runs the job) and the log lines
     */
    JobConsumer(KafkaClients kafka, String topic, String group, Class<J> type, String name, JobRunner<J> runner) {
        this.topic = topic;
        this.name = name;
        this.runner = runner;
        this.jobs = new AvroDeserializer<>(type);
        this.executor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name(name).daemon().unstarted(r));
        this.config = kafka.consumer(group);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            // Values are decoded here rather than by the consumer, so an unreadable job can be reported under its key.
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            running = true;
            thread = Thread.ofPlatform().name(name + "s").daemon().start(this::run);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (current != null || backingOff) {
                        // Paused partitions return nothing; a partition assigned during a poll may. Read it again later.
                        consumer.seek(partition, record.offset());
                        consumer.pause(List.of(partition));
                        continue;
                    }
                    start(partition, record);
                }
                flushCommits();
                if (current != null && current.outcome().isDone()) {
                    finish(current, false);
                }
                if (backingOff && System.nanoTime() - resumeAtNanos >= 0) {
                    backingOff = false;
                    consumer.resume(consumer.paused());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            log.error("The {} consumer stopped; its jobs wait for another worker or a restart", name, e);
        } finally {
            if (current != null) {
                stop(current);
            }
            flushCommits();
            executor.shutdownNow();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            running = false;
        }
    }

    private void start(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        J job;
        try {
            job = jobs.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            log.error("{} message at {} offset {} cannot be read and is skipped: {}", name, partition, record.offset(), e.getMessage());
            if (record.key() != null) {
                runner.unreadable(record.key(), e.getMessage());
            }
            commit(partition, record.offset());
            return;
        }
        if (job == null) {
            commit(partition, record.offset()); // a tombstone: nothing to run
            return;
        }
        AtomicBoolean stop = new AtomicBoolean();
        Future<Boolean> outcome = executor.submit(() -> runner.run(job, stop::get));
        consumer.pause(consumer.assignment());
        current = new Running(partition, record.offset(), runner.jobId(job), stop, outcome);
    }

    /**
     * Commits an ended job, or leaves it to be read again; {@code revoked} when its partition is being taken away, in
     * which case the next owner reads it.
     */
    private void finish(Running job, boolean revoked) {
        current = null;
        boolean ended;
        try {
            ended = job.outcome().get();
        } catch (ExecutionException e) {
            log.warn("Job {} could not go on and will run again in {} s: {}", job.jobId(), RETRY_AFTER.toSeconds(),
                    e.getCause().getMessage());
            ended = false;
            backingOff = true;
            resumeAtNanos = System.nanoTime() + RETRY_AFTER.toNanos();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (ended) {
            commit(job.partition(), job.offset());
        } else if (!revoked && consumer.assignment().contains(job.partition())) {
            consumer.seek(job.partition(), job.offset());
        }
        if (!backingOff) {
            consumer.resume(consumer.paused());
        }
    }

    /** Asks the running job to stop after its current item, waits for it, and settles its offset. */
    private void stop(Running job) {
        job.stop().set(true);
        try {
            job.outcome().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Job {} did not stop within {}; its partition is released anyway", job.jobId(), STOP_WAIT);
            job.outcome().cancel(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // finish() reports it.
        }
        if (job.outcome().isDone() && !job.outcome().isCancelled()) {
            finish(job, true);
        } else {
            current = null;
        }
    }

    /**
     * Commits past an ended job. A commit attempted while the group rebalances (workers joining or leaving) is
     * refused; it is kept and retried after the next poll, or when its partition is revoked, so that an ended job is
     * not run again merely because a worker joined while it finished.
     */
    private void commit(TopicPartition partition, long offset) {
        pendingCommits.put(partition, new OffsetAndMetadata(offset + 1));
        flushCommits();
    }

    private void flushCommits() {
        if (pendingCommits.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(pendingCommits);
            pendingCommits.clear();
        } catch (RebalanceInProgressException e) {
            log.debug("Job offsets {} wait for the rebalance to finish", pendingCommits);
        } catch (KafkaException e) {
            // The partition has gone to another worker: it runs the job again, which finds its items enrolled.
            log.warn("Could not commit job offsets {}: {}", pendingCommits, e.getMessage());
            pendingCommits.clear();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (current != null && partitions.contains(current.partition())) {
                log.info("Job {} moves to another worker: its partition {} was reassigned", current.jobId(), current.partition());
                stop(current);
            }
            if (partitions.stream().anyMatch(pendingCommits::containsKey)) {
                flushCommits(); // the last moment this worker may commit for them
                pendingCommits.keySet().removeAll(partitions);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (current != null || backingOff) {
                consumer.pause(partitions);
            }
        }
    }

    /**
     * Stops taking jobs; a running job stops after its current item and runs again where it is delivered next. Once
     * stopped, the consumer stays stopped (a worker stops it only when it shuts down).
     */
    @Override
    public synchronized void stop() {
        Thread t = thread;
        if (t == null || !running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            t.join(STOP_WAIT.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

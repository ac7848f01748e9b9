package io.rollcall.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of a compacted state topic (job progress, worker heartbeats) from its beginning and then
 * follows it, handing each value to a receiver on a daemon thread of its own. The topic is compacted by key, so the
 * read at start costs about one record per key and gives a restarted process the latest state of each. No consumer
 * group: every process that follows the topic reads all of it. Waits for the topic while no worker has created it
 * yet; skips a record it cannot decode (written by a newer version) rather than stopping.
 */
public final class TopicFollower<V extends SpecificRecord> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How often to look again for the topic while no worker has created it yet. */
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(2);

    private final String topic;
    private final KafkaConsumer<String, V> consumer;
    private final Consumer<V> receiver;
    private final Thread reader;
    private volatile boolean running = true;

    public TopicFollower(KafkaClients kafka, String topic, Class<V> type, Consumer<V> receiver) {
        this.topic = topic;
        this.receiver = receiver;
        Map<String, Object> config = kafka.consumer();
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new AvroDeserializer<>(type));
        this.reader = Thread.ofPlatform().name("follow-" + topic).daemon().start(this::read);
    }

    private void read() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                try {
                    for (ConsumerRecord<String, V> record : consumer.poll(POLL)) {
                        if (record.value() != null) {
                            receiver.accept(record.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    log.warn("Skipping unreadable record of {} at {} offset {}: {}", topic, e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            log.error("Reader of {} stopped; the state it feeds is frozen until this process restarts", topic, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    /** The topic's partitions, once a worker has created it. */
    private List<TopicPartition> awaitPartitions() {
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.debug("Kafka not reachable yet for {}: {}", topic, e.getMessage());
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

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

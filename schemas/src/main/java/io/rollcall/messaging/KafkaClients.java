package io.rollcall.messaging;

import io.rollcall.config.EnvSettings;
import io.rollcall.config.Variables;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings every part of Rollcall uses, in one place.
 *
 * @param bootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}
 */
public record KafkaClients(String bootstrapServers) {

    public KafkaClients {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS is not set");
        }
    }

    /** {@code KAFKA_BOOTSTRAP_SERVERS}, or {@code fallback} (the embedded broker in standalone mode) when unset. */
    public static KafkaClients fromEnvironment(Map<String, String> environment, String fallback) {
        return new KafkaClients(new EnvSettings(environment).string(Variables.KAFKA_BOOTSTRAP_SERVERS, fallback));
    }

    /**
     * Idempotent, fully acknowledged sends (no duplicates or losses on retry), sent at once: the default 5 ms linger
     * would add about 10 ms to every request-reply round trip. No compression: images are already compressed.
     */
    public Map<String, Object> producer() {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        // A send to an unreachable broker fails after this instead of blocking the HTTP thread indefinitely.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.putAll(Topics.producerSizeConfig());
        return p;
    }

    /**
     * Offsets committed by the listener container after the work is done (never automatically), small polls
     * because each record may take a face-recognition pass, and fetch sizes that admit the largest message.
     */
    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A crashed worker's partitions move to the others after 10 s instead of the default 45 s.
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        c.putAll(Topics.consumerSizeConfig());
        return c;
    }

    public Map<String, Object> admin() {
        Map<String, Object> a = new HashMap<>();
        a.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return a;
    }
}

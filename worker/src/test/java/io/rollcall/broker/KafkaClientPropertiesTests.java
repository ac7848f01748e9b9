package io.rollcall.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.rollcall.config.EnvSettings;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The client settings every producer and consumer of the service starts from. */
class KafkaClientPropertiesTests {
    private static final int MIB_16 = 16 * 1024 * 1024;

    @Test
    void kafka_bootstrap_servers_names_the_cluster_and_then_no_broker_is_started() {
        EnvSettings env = new EnvSettings(Map.of("KAFKA_BOOTSTRAP_SERVERS", " kafka-1:9092,kafka-2:9092 "));

        KafkaClientProperties props = KafkaClientProperties.fromEnv(env, () -> {
            throw new AssertionError("the standalone broker must not be started when a cluster is configured");
        });

        assertThat(props.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(KafkaClientProperties.configured(env)).contains(props);
    }

    @Test
    void without_kafka_bootstrap_servers_the_standalone_broker_is_used() {
        EnvSettings env = new EnvSettings(Map.of("KAFKA_BOOTSTRAP_SERVERS", " "));

        assertThat(KafkaClientProperties.fromEnv(env, () -> "127.0.0.1:40123").bootstrapServers()).isEqualTo("127.0.0.1:40123");
        assertThat(KafkaClientProperties.configured(env)).isEmpty();
    }

    @Test
    void producers_send_at_once_exactly_once_uncompressed_up_to_16_mib() {
        Map<String, Object> producer = new KafkaClientProperties("127.0.0.1:9092").producer();

        assertThat(producer).containsExactly(
                entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092"),
                entry(ProducerConfig.ACKS_CONFIG, "all"),
                entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                entry(ProducerConfig.LINGER_MS_CONFIG, 0),
                entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MIB_16),
                entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"));
    }

    @Test
    void consumers_commit_themselves_read_committed_and_fetch_16_mib_records() {
        Map<String, Object> consumer = new KafkaClientProperties("127.0.0.1:9092").consumer("workers");

        assertThat(consumer).containsExactly(
                entry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092"),
                entry(ConsumerConfig.GROUP_ID_CONFIG, "workers"),
                entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                entry(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MIB_16),
                entry(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 50 * 1024 * 1024));
    }

    @Test
    void each_call_returns_a_map_of_its_own() {
        KafkaClientProperties props = new KafkaClientProperties("127.0.0.1:9092");
        props.producer().put(ProducerConfig.CLIENT_ID_CONFIG, "ingress");

        assertThat(props.producer()).doesNotContainKey(ProducerConfig.CLIENT_ID_CONFIG);
    }

    @Test
    void blank_addresses_and_group_ids_are_refused() {
        assertThatThrownBy(() -> new KafkaClientProperties(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KafkaClientProperties("h:1").consumer("")).isInstanceOf(IllegalArgumentException.class);
    }
}

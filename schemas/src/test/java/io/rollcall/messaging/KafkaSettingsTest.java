package io.rollcall.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The binding of Kafka's variables: where the cluster is, how topics are replicated, the clients' own properties. */
class KafkaSettingsTest {
    private static final String CLUSTER = "kafka-1:9092,kafka-2:9092";
    private static final String IN_PROCESS = "127.0.0.1:40123";

    @Test
    void theInProcessBrokerIsOneNodeSoItsTopicsHaveOneCopy() {
        KafkaSettings settings = KafkaSettings.fromEnvironment(Map.of(), IN_PROCESS);

        assertThat(settings.bootstrapServers()).isEqualTo(IN_PROCESS);
        assertThat(settings.topics().replication()).isEqualTo(Topics.Replication.SINGLE_BROKER);
    }

    @Test
    void aClusterGetsThreeCopiesTwoOfThemAcknowledgingByDefault() {
        KafkaSettings settings = KafkaSettings.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER), IN_PROCESS);

        assertThat(settings.bootstrapServers()).isEqualTo(CLUSTER);
        assertThat(settings.topics().replication()).isEqualTo(new Topics.Replication((short) 3, 2));
        assertThat(settings.topics().specs()).allSatisfy(spec -> assertThat(spec.replicationFactor()).isEqualTo((short) 3));
    }

    @Test
    void setReplicationWinsOnEitherKindOfBroker() {
        Map<String, String> five = Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER, "KAFKA_REPLICATION_FACTOR", "5",
                "KAFKA_MIN_INSYNC_REPLICAS", "3");
        assertThat(KafkaSettings.fromEnvironment(five, null).topics().replication()).isEqualTo(new Topics.Replication((short) 5, 3));
        // A factor the in-process broker cannot hold is taken as set: creating the topics then fails, naming it.
        assertThat(KafkaSettings.fromEnvironment(Map.of("KAFKA_REPLICATION_FACTOR", "3"), IN_PROCESS).topics().replication())
                .isEqualTo(new Topics.Replication((short) 3, 2));
    }

    @Test
    void theRetentionOfPersonalDataComesFromTheEnvironment() {
        KafkaSettings settings = KafkaSettings.fromEnvironment(Map.of("KAFKA_PHOTO_RETENTION_MS", "900000",
                "KAFKA_SEGMENT_MS", "60000"), IN_PROCESS);

        assertThat(settings.topics().retention()).isEqualTo(new Topics.Retention(Duration.ofMinutes(15), Duration.ofDays(1),
                Duration.ofDays(1), Duration.ofMinutes(1)));
        assertThat(settings.topics().specs().getFirst().configs()).containsEntry("retention.ms", "900000")
                .containsEntry("segment.ms", "60000");
    }

    @Test
    void aSingleBrokerClusterNeedsOnlyItsFactorSet() {
        // min.insync.replicas cannot exceed the copies; unset, it follows a smaller factor down.
        Map<String, String> one = Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER, "KAFKA_REPLICATION_FACTOR", "1");
        assertThat(KafkaSettings.fromEnvironment(one, null).topics().replication()).isEqualTo(Topics.Replication.SINGLE_BROKER);
    }

    @Test
    void impossibleReplicationIsRefusedAtStartNamingTheVariables() {
        assertThatThrownBy(() -> KafkaSettings.fromEnvironment(Map.of("KAFKA_REPLICATION_FACTOR", "2",
                "KAFKA_MIN_INSYNC_REPLICAS", "3"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("KAFKA_MIN_INSYNC_REPLICAS must be between 1 and KAFKA_REPLICATION_FACTOR (2), got 3");
        assertThatThrownBy(() -> KafkaSettings.fromEnvironment(Map.of("KAFKA_REPLICATION_FACTOR", "three"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KAFKA_REPLICATION_FACTOR must be an integer, got 'three'");
        assertThatThrownBy(() -> KafkaSettings.fromEnvironment(Map.of("KAFKA_REPLICATION_FACTOR", "0"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KAFKA_REPLICATION_FACTOR must be at least 1, got 0");
    }

    @Test
    void clientPropertiesComeFromKafkaClientVariables() {
        KafkaSettings settings = KafkaSettings.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", CLUSTER,
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", "/run/secrets/kafka-ca.p12",
                "KAFKA_CLIENT_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "  ",
                "KAFKA_CLIENTS", "not a member: the family is KAFKA_CLIENT_ and a name after it"), null);

        assertThat(settings.clientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/run/secrets/kafka-ca.p12"));
        assertThat(settings.clients().admin()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void theTopicPrefixAlsoPrefixesEveryConsumerGroup() {
        KafkaClients clients = KafkaSettings.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER,
                "KAFKA_TOPIC_PREFIX", "staging"), null).clients();

        assertThat(clients.consumer("rollcall-workers")).containsEntry("group.id", "staging.rollcall-workers");
        assertThat(clients.groupId("rollcall-log-writer")).isEqualTo("staging.rollcall-log-writer");
        assertThat(KafkaSettings.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER), null).clients()
                .consumer("rollcall-workers")).containsEntry("group.id", "rollcall-workers");
    }

    @Test
    void aMistypedOrReservedPropertyStopsTheStartNamingItsVariable() {
        assertThatThrownBy(() -> KafkaSettings.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER,
                "KAFKA_CLIENT_SECURITY_PROTOKOL", "SASL_SSL"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KAFKA_CLIENT_SECURITY_PROTOKOL names security.protokol, which is not a Kafka producer, consumer or"
                        + " admin client property (see https://kafka.apache.org/documentation/#configuration)");
        assertThatThrownBy(() -> KafkaSettings.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER,
                "KAFKA_CLIENT_ENABLE_AUTO_COMMIT", "true"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KAFKA_CLIENT_ENABLE_AUTO_COMMIT would change enable.auto.commit, which Rollcall sets itself: its"
                        + " delivery guarantees depend on it");
        assertThatThrownBy(() -> KafkaSettings.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER,
                "KAFKA_CLIENT_BOOTSTRAP_SERVERS", "elsewhere:9092"), null))
                .hasMessage("KAFKA_CLIENT_BOOTSTRAP_SERVERS would change bootstrap.servers, which Rollcall sets itself (use"
                        + " KAFKA_BOOTSTRAP_SERVERS)");
        assertThatThrownBy(() -> KafkaSettings.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER,
                "KAFKA_CLIENT_GROUP_ID", "mine"), null))
                .hasMessage("KAFKA_CLIENT_GROUP_ID would change group.id, which Rollcall sets itself (groups take KAFKA_TOPIC_PREFIX)");
    }

    @Test
    void noSecretIsPrinted() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"rollcall\" password=\"s3cr3t-Pa55\";";
        KafkaSettings settings = KafkaSettings.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", CLUSTER,
                "KAFKA_CLIENT_SASL_JAAS_CONFIG", jaas, "KAFKA_CLIENT_SSL_TRUSTSTORE_PASSWORD", "trust-me-42"), null);

        assertThat(settings.toString()).doesNotContain("s3cr3t-Pa55", "trust-me-42")
                .contains("sasl.jaas.config", "ssl.truststore.password");
        assertThat(settings.clients().toString()).doesNotContain("s3cr3t-Pa55", "trust-me-42");
        assertThat(settings.clients().describeProperties())
                .isEqualTo("sasl.jaas.config=[hidden], ssl.truststore.password=[hidden]");
    }
}

package io.rollcall.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/** Every producer, consumer and admin client gets the cluster's properties; each only those it knows. */
class KafkaClientsTest {
    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"rollcall\" password=\"pw-9f3\";";

    private static KafkaClients clients(Map<String, Object> properties) {
        return new KafkaClients("kafka:9092", "staging.", properties);
    }

    @Test
    void securitySettingsReachEveryClient() {
        KafkaClients clients = clients(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config", JAAS));

        for (Map<String, Object> config : List.of(clients.producer(), clients.consumer("rollcall-workers"), clients.consumer(),
                clients.admin())) {
            assertThat(config).containsEntry("bootstrap.servers", "kafka:9092")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "PLAIN");
            // Held as Kafka's Password: the client reads the value, anything that prints the map prints [hidden].
            assertThat(config.get("sasl.jaas.config")).isInstanceOf(Password.class).hasToString("[hidden]");
            assertThat(((Password) config.get("sasl.jaas.config")).value()).isEqualTo(JAAS);
        }
    }

    @Test
    void eachPropertyGoesOnlyToTheClientsThatKnowIt() {
        KafkaClients clients = clients(Map.of("linger.ms", "5", "max.poll.interval.ms", "600000", "request.timeout.ms", "20000"));

        assertThat(clients.producer()).containsEntry("linger.ms", "5").doesNotContainKey("max.poll.interval.ms")
                .containsEntry("request.timeout.ms", "20000"); // applied after Rollcall's own 10 s
        assertThat(clients.consumer("g")).containsEntry("max.poll.interval.ms", "600000").doesNotContainKey("linger.ms")
                .containsEntry("request.timeout.ms", "20000");
        assertThat(clients.admin()).doesNotContainKeys("linger.ms", "max.poll.interval.ms")
                .containsEntry("request.timeout.ms", "20000");
    }

    @Test
    void photosCrossTheSocketThroughTheSystemsSelfTuningBuffersUnlessTheClusterSaysOtherwise() {
        // -1 is Kafka's "leave SO_SNDBUF/SO_RCVBUF to the OS"; Kafka's fixed 128/64 KiB split a 2 MB photo into dozens
        // of round trips between the network threads (issue 12).
        assertThat(clients(Map.of()).producer()).containsEntry("send.buffer.bytes", -1).doesNotContainKey("receive.buffer.bytes");
        assertThat(clients(Map.of()).consumer("rollcall-workers")).containsEntry("receive.buffer.bytes", -1)
                .doesNotContainKey("send.buffer.bytes");
        assertThat(clients(Map.of()).consumer()).containsEntry("receive.buffer.bytes", -1);
        // Not reserved: a cluster across a WAN may want fixed sizes.
        assertThat(clients(Map.of("receive.buffer.bytes", "1048576")).consumer()).containsEntry("receive.buffer.bytes", "1048576");
    }

    @Test
    void groupsLiveUnderThePrefixAndAGrouplessReaderHasNone() {
        KafkaClients clients = clients(Map.of());

        assertThat(clients.consumer("rollcall-log-writer")).containsEntry("group.id", "staging.rollcall-log-writer");
        assertThat(clients.consumer()).doesNotContainKey("group.id");
        assertThat(new KafkaClients("kafka:9092").consumer("rollcall-workers")).containsEntry("group.id", "rollcall-workers");
        assertThatThrownBy(() -> clients.consumer(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void variableAndPropertyNamesMapBothWays() {
        assertThat(KafkaClients.propertyName("KAFKA_CLIENT_SASL_JAAS_CONFIG")).isEqualTo("sasl.jaas.config");
        assertThat(KafkaClients.propertyName("KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION")).isEqualTo("ssl.truststore.location");
        assertThat(KafkaClients.variableName("ssl.endpoint.identification.algorithm"))
                .isEqualTo("KAFKA_CLIENT_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM");
        assertThatThrownBy(() -> KafkaClients.propertyName("KAFKA_CLIENT_")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordsAreKnownByKafkasOwnTypes() {
        assertThat(List.of("sasl.jaas.config", "ssl.truststore.password", "ssl.keystore.password", "ssl.key.password"))
                .allMatch(KafkaClients::isSecret);
        assertThat(List.of("security.protocol", "sasl.mechanism", "ssl.truststore.location")).noneMatch(KafkaClients::isSecret);
    }

    @Test
    void noBootstrapServersNoClients() {
        assertThatThrownBy(() -> new KafkaClients(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KAFKA_BOOTSTRAP_SERVERS is not set");
    }
}

package io.rollcall.broker;

import static io.rollcall.broker.KafkaTestClients.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaSettings;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that, like a secured cluster, only talks to SASL/PLAIN users: Rollcall's clients get there through the
 * {@code KAFKA_CLIENT_*} variables alone, and without the right credentials they get nowhere.
 */
class SaslBrokerTests {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String USER = "rollcall";
    private static final String PASSWORD = "pw-7d2c91";

    @TempDir
    static Path dataDir;
    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.startWithSaslPlain(dataDir, 0, Map.of(USER, PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The environment of a process on this broker, with these client properties. */
    private static Map<String, String> environment(Map<String, String> clientVariables) {
        Map<String, String> env = new HashMap<>(clientVariables);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KAFKA_REPLICATION_FACTOR", "1");
        return env;
    }

    static Map<String, String> credentials(String user, String password) {
        return Map.of(
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_CLIENT_SASL_MECHANISM", "PLAIN",
                "KAFKA_CLIENT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"" + user + "\" password=\"" + password + "\";");
    }

    @Test
    void clientsWithTheRightCredentialsCreateProduceAndConsume() throws Exception {
        KafkaSettings settings = KafkaSettings.fromEnvironment(environment(credentials(USER, PASSWORD)), null);
        KafkaClients clients = settings.clients();
        Topics.TopicSpec topic = new Topics.TopicSpec("secured.requests", 2, (short) 1, Map.of());

        try (Admin admin = Admin.create(clients.admin())) {
            assertThat(KafkaTopics.createMissing(admin, List.of(topic), WAIT).created()).containsExactly("secured.requests");
        }
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(clients)) {
            producer.send(new ProducerRecord<>(topic.name(), "S-1", "enroll".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(clients, "workers")) {
            consumer.subscribe(List.of(topic.name()));
            List<ConsumerRecord<String, byte[]>> records = poll(consumer, 1, WAIT);
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("S-1");
            assertThat(new String(records.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("enroll");
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheBroker() {
        KafkaClients clients = KafkaSettings.fromEnvironment(environment(credentials(USER, "not-the-password")), null).clients();

        try (Admin admin = Admin.create(clients.admin())) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Invalid username or password");
        }
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(clients)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secured.requests", "S-2", new byte[1])).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void clientsWithoutSecuritySettingsGetNoAnswer() {
        // A plaintext client's first request is not a SASL handshake, so the broker drops the connection each time.
        Map<String, String> quick = Map.of("KAFKA_CLIENT_DEFAULT_API_TIMEOUT_MS", "3000", "KAFKA_CLIENT_REQUEST_TIMEOUT_MS", "1000");
        KafkaClients clients = KafkaSettings.fromEnvironment(environment(quick), null).clients();

        try (Admin admin = Admin.create(clients.admin())) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void theBrokerListensWithSaslOnly() throws Exception {
        KafkaClients clients = KafkaSettings.fromEnvironment(environment(credentials(USER, PASSWORD)), null).clients();
        try (Admin admin = Admin.create(clients.admin())) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node);
            assertThat(config.get("listeners").value())
                    .matches("SASL_PLAINTEXT://127\\.0\\.0\\.1:\\d+,CONTROLLER://127\\.0\\.0\\.1:\\d+");
            assertThat(config.get("sasl.enabled.mechanisms").value()).isEqualTo("PLAIN");
        }
    }
}

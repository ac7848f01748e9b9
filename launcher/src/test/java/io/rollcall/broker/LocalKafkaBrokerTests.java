package io.rollcall.broker;

import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;
import java.util.Map;

import static io.rollcall.broker.KafkaTestClients.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.broker.BrokerStartException.Reason;
import io.rollcall.testing.DevData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process broker as ./rollcall runs it: a real KRaft broker on a data directory that outlives the process. */
class LocalKafkaBrokerTests {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Topics.TopicSpec REQUESTS = new Topics.TopicSpec("face.requests", 1, (short) 1, Map.of("max.message.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES)));
    private static final Topics.TopicSpec REPLIES = new Topics.TopicSpec("face.replies", 2, (short) 1, Map.of());
    private static final TopicPartition REQUESTS_0 = new TopicPartition(REQUESTS.name(), 0);

    @TempDir
    Path dataDir;

    @Test
    void topics_messages_and_a_committed_offset_survive_a_restart_on_the_same_directory() throws Exception {
        byte[] photo = Files.readAllBytes(DevData.faces().resolve("_group/01.jpg"));
        byte[] largest = new byte[10 * 1024 * 1024]; // the ingress limit; random bytes are as incompressible as a JPEG
        new Random(7).nextBytes(largest);
        Map<String, byte[]> sent = Map.of("photo", photo, "largest", largest, "small", "{\"person\":\"S-1\"}".getBytes(StandardCharsets.UTF_8));
        List<String> order = List.of("photo", "largest", "small");

        String clusterId;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir, 0)) {
            clusterId = broker.clusterId();
            KafkaClients props = new KafkaClients(broker.bootstrapServers());
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            try (Admin admin = Admin.create(props.admin())) {
                assertThat(KafkaTopics.createMissing(admin, List.of(REQUESTS, REPLIES), WAIT).created())
                        .containsExactly("face.requests", "face.replies");
            }
            try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(props)) {
                for (String key : order) {
                    producer.send(new ProducerRecord<>(REQUESTS.name(), key, sent.get(key))).get(30, TimeUnit.SECONDS);
                }
            }
            // A worker handles the first two requests and commits; the third is still queued when the process stops.
            try (KafkaConsumer<String, byte[]> worker = KafkaTestClients.consumer(props, "workers")) {
                worker.subscribe(List.of(REQUESTS.name()));
                List<ConsumerRecord<String, byte[]>> records = poll(worker, 3, WAIT);
                assertThat(records).extracting(ConsumerRecord::key).containsExactlyElementsOf(order);
                assertThat(records.get(1).value()).isEqualTo(largest);
                worker.commitSync(Map.of(REQUESTS_0, new OffsetAndMetadata(2)));
            }
        }
        assertThat(dataDir.resolve("log/meta.properties")).isRegularFile();

        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir, 0)) {
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            KafkaClients props = new KafkaClients(broker.bootstrapServers());
            try (Admin admin = Admin.create(props.admin())) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("face.requests", "face.replies");
                assertThat(admin.listConsumerGroupOffsets("workers").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                        .containsEntry(REQUESTS_0, new OffsetAndMetadata(2));
                KafkaTopics.Result again = KafkaTopics.createMissing(admin, List.of(REQUESTS, REPLIES), WAIT);
                assertThat(again.created()).isEmpty();
                assertThat(again.existing()).containsExactly("face.requests", "face.replies");
            }
            try (KafkaConsumer<String, byte[]> audit = KafkaTestClients.consumer(props, "audit")) {
                audit.subscribe(List.of(REQUESTS.name()));
                List<ConsumerRecord<String, byte[]>> records = poll(audit, 3, WAIT);
                assertThat(records).extracting(ConsumerRecord::key).containsExactlyElementsOf(order);
                for (ConsumerRecord<String, byte[]> record : records) {
                    assertThat(record.value()).isEqualTo(sent.get(record.key()));
                }
            }
            try (KafkaConsumer<String, byte[]> worker = KafkaTestClients.consumer(props, "workers")) {
                worker.subscribe(List.of(REQUESTS.name()));
                assertThat(poll(worker, 1, WAIT)).extracting(ConsumerRecord::key).containsExactly("small");
            }
        }
    }

    @Test
    void the_broker_leaves_its_socket_buffers_to_the_os_so_a_photo_crosses_loopback_in_a_few_writes() {
        // Kafka's default is a fixed 100 KiB (102400), which cuts a 2 MB photo into twenty round trips between the
        // broker's network thread and the client's; -1 keeps Linux's self-tuning buffers (issue 12).
        Map<String, String> config = LocalKafkaBroker.brokerConfig(Path.of("log"), 9092, 9093, LocalKafkaBroker.ClientAuth.NONE,
                Duration.ofSeconds(30));

        assertThat(config).containsEntry("socket.send.buffer.bytes", "-1").containsEntry("socket.receive.buffer.bytes", "-1");
    }

    @Test
    void a_second_broker_on_the_same_directory_is_refused_naming_the_directory() throws Exception {
        try (LocalKafkaBroker first = LocalKafkaBroker.start(dataDir, 0)) {
            Path dir = dataDir.toRealPath();
            assertThatThrownBy(() -> LocalKafkaBroker.start(dataDir, 0))
                    .isInstanceOfSatisfying(BrokerStartException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_LOCKED))
                    .hasMessageContaining("The Kafka data directory " + dir + " is in use by a broker already running in this process");

            String other = OtherRollcallProcess.tryToStart(dataDir);
            assertThat(other).isEqualTo("DATA_DIR_LOCKED The Kafka data directory " + dir + " is in use by process "
                    + ProcessHandle.current().pid() + " (lock file " + dir.resolve("rollcall-broker.lock") + "). Only one"
                    + " Rollcall can run on a data directory: stop the other one, or start this one with a different data"
                    + " directory.");

            try (Admin admin = Admin.create(new KafkaClients(first.bootstrapServers()).admin())) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
        }
    }

    @Test
    void a_killed_rollcall_restarts_with_its_acknowledged_messages() throws Exception {
        OtherRollcallProcess.serveAndKill(dataDir, "face.requests", "before-the-crash", "{\"person\":\"S-2\"}");

        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir, 0);
             KafkaConsumer<String, byte[]> worker =
                     KafkaTestClients.consumer(new KafkaClients(broker.bootstrapServers()), "workers")) {
            worker.subscribe(List.of("face.requests"));
            List<ConsumerRecord<String, byte[]>> records = poll(worker, 1, WAIT);
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("before-the-crash");
            assertThat(new String(records.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("{\"person\":\"S-2\"}");
        }
    }

    @Test
    void a_port_in_use_is_refused_naming_the_port_and_frees_the_directory() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> LocalKafkaBroker.start(dataDir, port))
                    .isInstanceOfSatisfying(BrokerStartException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PORT_IN_USE))
                    .hasMessage("Port 127.0.0.1:" + port + " for the in-process Kafka broker is already in use (another"
                            + " Kafka, or another Rollcall?). Stop that program, or choose another port for the broker.");
        }
        BrokerDataDir.lock(dataDir).close();
    }

    @Test
    void a_port_taken_between_choosing_and_binding_it_is_replaced_without_ending_the_process() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger picks = new AtomicInteger();
            // The first controller port handed out is already taken, as if another program grabbed it meanwhile:
            // Kafka's controller treats that as a fatal fault, which by default halts the JVM.
            IntUnaryOperator racyPicker = except -> picks.incrementAndGet() == 2 ? taken.getLocalPort() : freePort(except);

            try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir, 0, LocalKafkaBroker.ClientAuth.NONE, racyPicker);
                 Admin admin = Admin.create(new KafkaClients(broker.bootstrapServers()).admin())) {
                assertThat(picks).hasValue(4);
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
        }
    }

    private static int freePort(int except) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort() == except ? freePort(except) : probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void a_half_formatted_directory_is_refused_with_what_to_do() throws IOException {
        Files.createDirectories(dataDir.resolve("log"));
        Files.writeString(dataDir.resolve("log/bootstrap.checkpoint"), "");

        assertThatThrownBy(() -> LocalKafkaBroker.start(dataDir, 0))
                .isInstanceOfSatisfying(BrokerStartException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_CORRUPT))
                .hasMessageContaining(dataDir.toRealPath().resolve("log") + " has no meta.properties")
                .hasMessageContaining("move it aside or delete it, and start again");
    }

    @Test
    void a_directory_of_another_kafka_node_is_refused() throws IOException {
        Files.createDirectories(dataDir.resolve("log"));
        Files.writeString(dataDir.resolve("log/meta.properties"), "version=1\ncluster.id=abc\nnode.id=3\n");

        assertThatThrownBy(() -> LocalKafkaBroker.start(dataDir, 0))
                .isInstanceOfSatisfying(BrokerStartException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_CORRUPT))
                .hasMessageContaining("is not the embedded broker's (cluster.id='abc', node.id='3', expected node.id=1)");
    }

    @Test
    void a_log_directory_of_a_standalone_kafka_is_not_adopted() throws IOException {
        Files.writeString(dataDir.resolve("meta.properties"), "version=1\ncluster.id=abc\nnode.id=1\n");

        assertThatThrownBy(() -> LocalKafkaBroker.start(dataDir, 0))
                .isInstanceOfSatisfying(BrokerStartException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_CORRUPT))
                .hasMessageContaining("looks like another Kafka's log directory");
        assertThat(dataDir.resolve("log")).doesNotExist();
    }

    @Test
    void a_first_start_interrupted_while_formatting_is_redone() throws IOException {
        Files.createDirectories(dataDir.resolve("log.formatting"));
        Files.writeString(dataDir.resolve("log.formatting/meta.properties"), "version=1\n");

        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir, 0)) {
            assertThat(dataDir.resolve("log.formatting")).doesNotExist();
            assertThat(Files.readString(dataDir.resolve("log/meta.properties"))).contains("cluster.id=" + broker.clusterId());
        }
    }
}

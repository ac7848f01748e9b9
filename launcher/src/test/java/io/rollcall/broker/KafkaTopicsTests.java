package io.rollcall.broker;

import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic creation and the broker's settings, on one real in-process broker shared by the class. */
class KafkaTopicsTests {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MAX = Integer.toString(Topics.MAX_MESSAGE_BYTES);

    @TempDir
    static Path dataDir;
    private static LocalKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.start(dataDir, 0);
        admin = Admin.create(new KafkaClients(broker.bootstrapServers()).admin());
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void creates_missing_topics_with_their_partitions_and_config_once() throws Exception {
        List<Topics.TopicSpec> specs = List.of(
                new Topics.TopicSpec("enroll.requests", 3, (short) 1, Map.of("max.message.bytes", MAX, "retention.ms", "86400000")),
                new Topics.TopicSpec("enroll.replies", 1, (short) 1, Map.of()));

        KafkaTopics.Result first = KafkaTopics.createMissing(admin, specs, WAIT);
        KafkaTopics.Result second = KafkaTopics.createMissing(admin, specs, WAIT);

        assertThat(first.created()).containsExactly("enroll.requests", "enroll.replies");
        assertThat(first.existing()).isEmpty();
        assertThat(second.created()).isEmpty();
        assertThat(second.existing()).containsExactly("enroll.requests", "enroll.replies");
        TopicDescription requests = admin.describeTopics(List.of("enroll.requests")).allTopicNames().get(30, TimeUnit.SECONDS)
                .get("enroll.requests");
        assertThat(requests.partitions()).hasSize(3).allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(1));
        Config config = topicConfig("enroll.requests");
        assertThat(config.get("max.message.bytes").value()).isEqualTo(MAX);
        assertThat(config.get("retention.ms").value()).isEqualTo("86400000");
    }

    @Test
    void an_existing_topic_is_left_as_it_is() throws Exception {
        admin.createTopics(List.of(new NewTopic("legacy.requests", Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);

        KafkaTopics.Result result = KafkaTopics.createMissing(admin,
                List.of(new Topics.TopicSpec("legacy.requests", 4, (short) 1, Map.of("max.message.bytes", MAX))), WAIT);

        assertThat(result.created()).isEmpty();
        assertThat(result.existing()).containsExactly("legacy.requests");
        assertThat(admin.describeTopics(List.of("legacy.requests")).allTopicNames().get(30, TimeUnit.SECONDS)
                .get("legacy.requests").partitions()).hasSize(1);
        assertThat(topicConfig("legacy.requests").get("max.message.bytes").value()).isEqualTo(MAX);
    }

    @Test
    void every_service_topic_gets_the_configured_replication() throws Exception {
        Topics topics = new Topics("single", Topics.Replication.SINGLE_BROKER);

        KafkaTopics.createMissing(admin, topics.specs(), WAIT);

        List<String> names = topics.specs().stream().map(Topics.TopicSpec::name).toList();
        assertThat(admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values())
                .hasSize(9).allSatisfy(t -> assertThat(t.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(1)));
        for (String name : names) {
            assertThat(topicConfig(name).get("min.insync.replicas").value()).as(name).isEqualTo("1");
        }
    }

    @Test
    void every_service_topic_is_created_with_its_retention_and_segment_bounds() throws Exception {
        Topics topics = new Topics("bounded", Topics.Replication.SINGLE_BROKER);

        KafkaTopics.createMissing(admin, topics.specs(), WAIT);

        assertThat(retentionAndSegment(topics.faceRequests())).containsExactly("3600000", "600000");
        assertThat(retentionAndSegment(topics.faceReplies())).containsExactly("3600000", "600000");
        assertThat(retentionAndSegment(topics.faceRequestsDeadLetter())).containsExactly("86400000", "600000");
        assertThat(retentionAndSegment(topics.galleryChanges())).containsExactly("86400000", "600000");
        for (Topics.TopicSpec spec : topics.specs()) {
            assertThat(retentionAndSegment(spec.name())).as(spec.name()).containsExactly(
                    spec.configs().get("retention.ms"), spec.configs().get("segment.ms"));
        }
    }

    @Test
    void an_upgrade_shortens_the_retention_of_topics_an_older_release_created() throws Exception {
        Topics topics = new Topics("upgraded", Topics.Replication.SINGLE_BROKER);
        // As the release before created them: door photos a day, failed requests two weeks, embeddings a week,
        // segments the broker's (daily here); replies already had their hour.
        admin.createTopics(List.of(
                oldTopic(topics.faceRequests(), 12, Map.of("retention.ms", "86400000")),
                oldTopic(topics.faceReplies(), 6, Map.of("retention.ms", "3600000")),
                oldTopic(topics.galleryChanges(), 1, Map.of("retention.ms", "604800000")),
                oldTopic(topics.faceRequestsDeadLetter(), 12, Map.of("retention.ms", "1209600000"))))
                .all().get(30, TimeUnit.SECONDS);

        KafkaTopics.Result upgrade = KafkaTopics.createMissing(admin, topics.specs(), WAIT);
        KafkaTopics.Result again = KafkaTopics.createMissing(admin, topics.specs(), WAIT);

        assertThat(upgrade.existing()).containsExactly(topics.faceRequests(), topics.faceReplies(), topics.galleryChanges(),
                topics.faceRequestsDeadLetter());
        assertThat(upgrade.altered()).isEqualTo(upgrade.existing());
        assertThat(again.altered()).isEmpty();
        assertThat(retentionAndSegment(topics.faceRequests())).containsExactly("3600000", "600000");
        assertThat(retentionAndSegment(topics.faceReplies())).containsExactly("3600000", "600000");
        assertThat(retentionAndSegment(topics.galleryChanges())).containsExactly("86400000", "600000");
        assertThat(retentionAndSegment(topics.faceRequestsDeadLetter())).containsExactly("86400000", "600000");
        // Set on the topic itself, not inherited from the broker: it survives any broker default.
        assertThat(topicConfig(topics.faceRequests()).get("retention.ms").source())
                .isEqualTo(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    private static NewTopic oldTopic(String name, int partitions, Map<String, String> configs) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }

    private static List<String> retentionAndSegment(String topic) throws Exception {
        Config config = topicConfig(topic);
        return List.of(config.get("retention.ms").value(), config.get("segment.ms").value());
    }

    @Test
    void more_copies_than_brokers_fails_naming_the_setting_and_creates_nothing() throws Exception {
        Topics topics = new Topics("replicated", Topics.Replication.RECOMMENDED);

        assertThatThrownBy(() -> KafkaTopics.createMissing(admin, topics.specs(), WAIT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot create Kafka topics [replicated.rollcall.face.requests, ")
                .hasMessageContaining(" with KAFKA_REPLICATION_FACTOR=3: the cluster has 1 broker. Set KAFKA_REPLICATION_FACTOR"
                        + " (and KAFKA_MIN_INSYNC_REPLICAS, at most the factor) to what the cluster can hold: 3 and 2 on three or"
                        + " more brokers, 1 and 1 on a single broker.");
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).noneMatch(name -> name.startsWith("replicated."));
    }

    @Test
    void the_broker_runs_with_the_service_settings_on_loopback_only() throws Exception {
        ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config config = admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node);

        Map<String, String> expected = Map.of(
                "message.max.bytes", MAX,
                "replica.fetch.max.bytes", MAX,
                "auto.create.topics.enable", "false",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "min.insync.replicas", "1",
                "group.initial.rebalance.delay.ms", "0",
                "log.retention.hours", "168",
                // Kafka checks every 5 minutes by default, which alone would add that much to the photo bound.
                "log.retention.check.interval.ms", "30000");
        expected.forEach((key, value) -> assertThat(config.get(key).value()).as(key).isEqualTo(value));
        assertThat(config.get("listeners").value()).matches("PLAINTEXT://127\\.0\\.0\\.1:\\d+,CONTROLLER://127\\.0\\.0\\.1:\\d+");
    }

    private static Config topicConfig(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    }
}

package io.rollcall.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.config.EnvSettings;
import io.rollcall.messaging.Topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void names_without_a_prefix() {
        Topics topics = new Topics();

        assertThat(topics.prefix()).isEmpty();
        assertThat(List.of(topics.faceRequests(), topics.faceReplies(), topics.galleryChanges(), topics.recognitionLogs(),
                topics.bulkJobs(), topics.bulkProgress(), topics.faceRequestsDeadLetter())).containsExactly(
                "rollcall.face.requests", "rollcall.face.replies", "rollcall.gallery.changes", "rollcall.recognition.logs",
                "rollcall.bulk.jobs", "rollcall.bulk.progress", "rollcall.face.requests.dlt");
    }

    @Test
    void a_prefix_is_joined_with_a_dot() {
        Topics topics = new Topics("staging");

        assertThat(topics.prefix()).isEqualTo("staging.");
        assertThat(topics.faceRequests()).isEqualTo("staging.rollcall.face.requests");
        assertThat(topics.faceRequestsDeadLetter()).isEqualTo("staging.rollcall.face.requests.dlt");
        assertThat(new Topics(" school-42.dev ").galleryChanges()).isEqualTo("school-42.dev.rollcall.gallery.changes");
    }

    @Test
    void the_prefix_comes_from_KAFKA_TOPIC_PREFIX() {
        assertThat(KafkaSettings.fromEnvironment(Map.of("KAFKA_TOPIC_PREFIX", "school_7"), null).topics().bulkJobs())
                .isEqualTo("school_7.rollcall.bulk.jobs");
        assertThat(KafkaSettings.fromEnvironment(Map.of(), null).topics().bulkJobs()).isEqualTo("rollcall.bulk.jobs");
        assertThat(KafkaSettings.fromEnvironment(Map.of("KAFKA_TOPIC_PREFIX", "  "), null).topics().bulkJobs())
                .isEqualTo("rollcall.bulk.jobs");
        assertThat(new Topics(null).prefix()).isEmpty();
    }

    @Test
    void every_topic_is_created_with_the_replication_given() {
        List<TopicSpec> cluster = new Topics("t").specs();
        List<TopicSpec> single = new Topics("t", Topics.Replication.SINGLE_BROKER).specs();

        assertThat(cluster).hasSize(9).allSatisfy(spec -> {
            assertThat(spec.replicationFactor()).isEqualTo((short) 3);
            assertThat(spec.configs()).containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        });
        assertThat(single).hasSize(9).allSatisfy(spec -> {
            assertThat(spec.replicationFactor()).isEqualTo((short) 1);
            assertThat(spec.configs()).containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1");
        });
    }

    @Test
    void the_recommended_replication_is_the_variables_default() {
        assertThat(Topics.Replication.RECOMMENDED).isEqualTo(new Topics.Replication((short) 3, 2));
        assertThat(Topics.RECOMMENDED_REPLICATION_FACTOR).isEqualTo((short) 3);
        assertThat(Topics.RECOMMENDED_MIN_INSYNC_REPLICAS).isEqualTo(2);
    }

    @Test
    void more_required_copies_than_copies_are_refused() {
        assertThatThrownBy(() -> new Topics.Replication((short) 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KAFKA_MIN_INSYNC_REPLICAS must be between 1 and KAFKA_REPLICATION_FACTOR (1), got 2: with more"
                        + " required copies than exist every write would be refused");
        assertThatThrownBy(() -> new Topics.Replication((short) 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KAFKA_REPLICATION_FACTOR must be at least 1, got 0");
        assertThatThrownBy(() -> new Topics.Replication((short) 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("KAFKA_MIN_INSYNC_REPLICAS must be between 1 and KAFKA_REPLICATION_FACTOR (3), got 0");
    }

    @Test
    void prefixes_kafka_would_reject_are_refused() {
        for (String bad : List.of("a b", ".staging", "staging.", "a..b", "a/b", "école")) {
            assertThatThrownBy(() -> new Topics(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("KAFKA_TOPIC_PREFIX may hold only letters, digits, '_', '-' and single dots between them, got '"
                            + bad.strip() + "'");
        }
        String longest = "p".repeat(249 - 1 - "rollcall.face.requests.dlt".length());
        assertThat(new Topics(longest).faceRequestsDeadLetter()).hasSize(249);
        assertThatThrownBy(() -> new Topics(longest + "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KAFKA_TOPIC_PREFIX is too long: topic names are limited to 249 characters");
    }

    @Test
    void the_largest_message_holds_two_10_MiB_images_and_an_envelope() {
        assertThat(Topics.MAX_IMAGE_BYTES).isEqualTo(10_485_760);
        assertThat(Topics.MAX_MESSAGE_BYTES).isEqualTo(22_020_096);
    }

    @Test
    void specs_create_every_topic_with_its_partitions_retention_and_size() {
        List<TopicSpec> specs = new Topics("t").specs();

        assertThat(specs).extracting(TopicSpec::name, TopicSpec::partitions).containsExactly(
                org.assertj.core.groups.Tuple.tuple("t.rollcall.face.requests", 12),
                org.assertj.core.groups.Tuple.tuple("t.rollcall.face.replies", 6),
                org.assertj.core.groups.Tuple.tuple("t.rollcall.gallery.changes", 1),
                org.assertj.core.groups.Tuple.tuple("t.rollcall.recognition.logs", 6),
                org.assertj.core.groups.Tuple.tuple("t.rollcall.bulk.jobs", 3),
                org.assertj.core.groups.Tuple.tuple("t.rollcall.bulk.progress", 3),
                org.assertj.core.groups.Tuple.tuple("t.rollcall.migration.jobs", 1),
                org.assertj.core.groups.Tuple.tuple("t.rollcall.worker.status", 1),
                org.assertj.core.groups.Tuple.tuple("t.rollcall.face.requests.dlt", 12));
        assertThat(specs).allSatisfy(spec ->
                assertThat(spec.configs()).containsEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "22020096"));
        // Photos and replies an hour, gallery changes and failed requests a day, in segments of 10 minutes.
        assertThat(specs).extracting(spec -> spec.configs().get(TopicConfig.RETENTION_MS_CONFIG)).containsExactly(
                "3600000", "3600000", "86400000", "604800000", "86400000", "2592000000", "604800000", "86400000", "86400000");
        assertThat(specs).extracting(spec -> spec.configs().get(TopicConfig.SEGMENT_MS_CONFIG)).containsExactly(
                "600000", "600000", "600000", "86400000", "3600000", "86400000", "86400000", "3600000", "600000");
        assertThat(specs).extracting(spec -> spec.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG)).containsExactly(
                "delete", "delete", "delete", "delete", "delete", "compact,delete", "delete", "compact,delete", "delete");
    }

    @Test
    void the_retention_variables_bound_the_topics_that_carry_personal_data() {
        Topics.Retention retention = Topics.Retention.fromEnvironment(new EnvSettings(Map.of(
                "KAFKA_PHOTO_RETENTION_MS", "1000", "KAFKA_DEAD_LETTER_RETENTION_MS", "2000",
                "KAFKA_GALLERY_CHANGES_RETENTION_MS", "3000", "KAFKA_SEGMENT_MS", "1500")));
        Topics topics = new Topics("t", Topics.Replication.SINGLE_BROKER, retention);

        Map<String, Map<String, String>> configs = topics.specs().stream()
                .collect(java.util.stream.Collectors.toMap(TopicSpec::name, TopicSpec::configs));

        // A segment never outlives the retention: 1,500 ms segments become 1,000 ms on the photo topics.
        assertThat(configs.get(topics.faceRequests())).containsEntry("retention.ms", "1000").containsEntry("segment.ms", "1000");
        assertThat(configs.get(topics.faceReplies())).containsEntry("retention.ms", "1000").containsEntry("segment.ms", "1000");
        assertThat(configs.get(topics.faceRequestsDeadLetter())).containsEntry("retention.ms", "2000").containsEntry("segment.ms", "1500");
        assertThat(configs.get(topics.galleryChanges())).containsEntry("retention.ms", "3000").containsEntry("segment.ms", "1500");
        assertThat(Topics.Retention.fromEnvironment(new EnvSettings(Map.of()))).isEqualTo(Topics.Retention.DEFAULT);
        assertThat(Topics.Retention.DEFAULT).isEqualTo(new Topics.Retention(Duration.ofHours(1), Duration.ofDays(1),
                Duration.ofDays(1), Duration.ofMinutes(10)));
        assertThatThrownBy(() -> Topics.Retention.fromEnvironment(new EnvSettings(Map.of("KAFKA_PHOTO_RETENTION_MS", "-1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KAFKA_PHOTO_RETENTION_MS must be a positive number of milliseconds, got -1");
    }

    @Test
    void gallery_changes_have_exactly_one_partition_and_the_dead_letter_topic_as_many_as_requests() {
        assertThat(Topics.GALLERY_CHANGES_PARTITIONS).isEqualTo(1);
        assertThat(Topics.FACE_REQUESTS_DLT_PARTITIONS).isEqualTo(Topics.FACE_REQUESTS_PARTITIONS);
    }

    @Test
    void client_size_settings_admit_the_largest_message() {
        assertThat(Topics.producerSizeConfig()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 22_020_096,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 88_080_384L));
        assertThat(Topics.consumerSizeConfig()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 22_020_096));
    }
}

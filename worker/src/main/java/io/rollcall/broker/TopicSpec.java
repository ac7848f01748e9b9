package io.rollcall.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A topic the service needs: its name, partition count and topic-level config (for example {@code max.message.bytes}
 * or {@code retention.ms}). The replication factor is the cluster's {@code default.replication.factor}: 1 on the
 * in-process broker, whatever the operator chose on a real cluster.
 */
public record TopicSpec(String name, int partitions, Map<String, String> config) {
    // Kafka's rule for topic names (org.apache.kafka.common.internals.Topic), checked here so a bad name fails early.
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public TopicSpec {
        if (name == null || !LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("Illegal Kafka topic name '" + name + "': use 1-249 of a-z A-Z 0-9 . _ -");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic " + name + " needs at least 1 partition, got " + partitions);
        }
        config = Map.copyOf(config);
    }

    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }

    /** This spec with one more topic-level config entry. */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> merged = new HashMap<>(config);
        merged.put(key, value);
        return new TopicSpec(name, partitions, merged);
    }
}

package io.rollcall.messaging;

import io.rollcall.config.Variables;
import java.util.HashMap;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * The Kafka client settings every part of Rollcall uses, in one place: every producer, consumer and admin client is
 * configured from here, so a setting of the cluster's ({@code KAFKA_CLIENT_*}: security protocol, SASL, TLS) reaches
 * all of them.
 *
 * @param bootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param groupPrefix      put before every consumer group id: the topic prefix ({@code staging.}), so that
 *                         installations sharing a cluster never share a group and ACLs can grant one prefix
 * @param properties       client properties from the environment ({@link #propertyName}), applied last, each to
 *                         the clients that know it. Secret ones are held as Kafka {@link Password}s, which print as
 *                         {@code [hidden]}
 */
public record KafkaClients(String bootstrapServers, String groupPrefix, Map<String, Object> properties) {

    /**
     * Settings Rollcall's delivery guarantees and wiring rest on (acknowledged and idempotent sends, commits after
     * the work, only committed records read, its own serializers and groups), so the environment cannot change them.
     */
    static final Set<String> RESERVED = Set.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final ConfigDef ADMIN = AdminClientConfig.configDef();

    public KafkaClients {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(Variables.KAFKA_BOOTSTRAP_SERVERS.name() + " is not set");
        }
        Objects.requireNonNull(groupPrefix, "groupPrefix");
        Map<String, Object> checked = new TreeMap<>();
        properties.forEach((name, value) -> checked.put(name, checked(name, value)));
        properties = Collections.unmodifiableMap(checked);
    }

    /** Clients of {@code bootstrapServers} with Rollcall's settings only: no group prefix, no extra properties. */
    public KafkaClients(String bootstrapServers) {
        this(bootstrapServers, "", Map.of());
    }

    /** {@code KAFKA_CLIENT_SASL_JAAS_CONFIG} → {@code sasl.jaas.config}: lower case, underscores as dots. */
    public static String propertyName(String variableName) {
        String prefix = Variables.KAFKA_CLIENT.prefix();
        if (!variableName.startsWith(prefix) || variableName.length() == prefix.length()) {
            throw new IllegalArgumentException(variableName + " does not name a Kafka client property (" + prefix + "…)");
        }
        return variableName.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** {@code sasl.jaas.config} → {@code KAFKA_CLIENT_SASL_JAAS_CONFIG}. */
    public static String variableName(String propertyName) {
        return Variables.KAFKA_CLIENT.prefix() + propertyName.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Whether Kafka types the property as a password: its value is never printed ({@code sasl.jaas.config}, …). */
    public static boolean isSecret(String propertyName) {
        for (ConfigDef def : new ConfigDef[] {PRODUCER, CONSUMER, ADMIN}) {
            ConfigDef.ConfigKey key = def.configKeys().get(propertyName);
            if (key != null && key.type() == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return false;
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
        // The OS's self-tuning socket buffer instead of Kafka's fixed 128 KiB, which sends a 2 MB photo in 16 rounds.
        p.put(ProducerConfig.SEND_BUFFER_CONFIG, -1);
        p.putAll(Topics.producerSizeConfig());
        return withProperties(p, PRODUCER);
    }

    /**
     * Offsets committed by the listener container after the work is done (never automatically), small polls
     * because each record may take a face-recognition pass, and fetch sizes that admit the largest message.
     *
     * @param group the group's name within this installation, e.g. {@code rollcall-workers}; its id is
     *              {@link #groupPrefix} + {@code group}
     */
    public Map<String, Object> consumer(String group) {
        Map<String, Object> c = consumer();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(group));
        return c;
    }

    /**
     * A consumer without a group, for a reader that assigns itself partitions and keeps no committed offsets (every
     * worker reads the whole gallery-changes topic itself).
     */
    public Map<String, Object> consumer() {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A crashed worker's partitions move to the others after 10 s instead of the default 45 s.
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        // The OS's self-tuning socket buffer instead of Kafka's fixed 64 KiB, which reads a 2 MB photo in 32 rounds.
        c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        c.putAll(Topics.consumerSizeConfig());
        return withProperties(c, CONSUMER);
    }

    public Map<String, Object> admin() {
        Map<String, Object> a = new HashMap<>();
        a.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return withProperties(a, ADMIN);
    }

    /** The id of group {@code group} of this installation: {@code staging.rollcall-workers}. */
    public String groupId(String group) {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("a consumer group needs a name");
        }
        return groupPrefix + group;
    }

    /** The properties from the environment for a log line: {@code security.protocol=SASL_SSL, sasl.jaas.config=[hidden]}. */
    public String describeProperties() {
        return properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "KafkaClients[bootstrapServers=" + bootstrapServers + ", groupPrefix=" + groupPrefix + ", properties={"
                + describeProperties() + "}]";
    }

    private Map<String, Object> withProperties(Map<String, Object> config, ConfigDef clientType) {
        properties.forEach((name, value) -> {
            if (clientType.names().contains(name)) {
                config.put(name, value);
            }
        });
        return config;
    }

    private static Object checked(String name, Object value) {
        String variable = variableName(name);
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException(variable + " would change " + name + ", which Rollcall sets itself"
                    + (name.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) ? " (use " + Variables.KAFKA_BOOTSTRAP_SERVERS.name() + ")"
                    : name.equals(ConsumerConfig.GROUP_ID_CONFIG) ? " (groups take " + Variables.KAFKA_TOPIC_PREFIX.name() + ")"
                    : ": its delivery guarantees depend on it"));
        }
        if (!PRODUCER.names().contains(name) && !CONSUMER.names().contains(name) && !ADMIN.names().contains(name)) {
            throw new IllegalArgumentException(variable + " names " + name + ", which is not a Kafka producer, consumer"
                    + " or admin client property (see https://kafka.apache.org/documentation/#configuration)");
        }
        if (value instanceof Password || !isSecret(name)) {
            return value;
        }
        return new Password(String.valueOf(value));
    }
}

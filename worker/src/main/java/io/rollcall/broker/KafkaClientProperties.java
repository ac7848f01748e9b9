package io.rollcall.broker;

import io.rollcall.config.EnvSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings shared by the ingress and the workers, as plain maps that Spring's producer, consumer and
 * admin factories (or the bare clients) take as they are. Each call returns a new mutable map, so a caller adds its
 * serializers, client id or overrides without affecting anyone else. The cluster is {@value #BOOTSTRAP_SERVERS_ENV}
 * when set; otherwise, in the one-process standalone mode, the in-process broker.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 */
public record KafkaClientProperties(String bootstrapServers) {
    public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    /**
     * Largest record the service sends: a 10 MiB image (the ingress limit, MAX_IMAGE_BYTES) plus its envelope, with
     * headroom. Broker ({@code message.max.bytes}), topics ({@code max.message.bytes}), producers and consumers all
     * use this one number.
     */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /**
     * Upper bound of one fetch response across partitions; must stay at least {@link #MAX_MESSAGE_BYTES}. Kafka's own
     * default (50 MiB), written out because the invariant matters.
     */
    static final int FETCH_MAX_BYTES = 50 * 1024 * 1024;

    public KafkaClientProperties {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must name at least one host:port");
        }
        bootstrapServers = bootstrapServers.strip();
    }

    /** The external cluster named by {@value #BOOTSTRAP_SERVERS_ENV}, if the variable is set. */
    public static Optional<KafkaClientProperties> configured(EnvSettings env) {
        return Optional.ofNullable(env.string(BOOTSTRAP_SERVERS_ENV, null)).map(KafkaClientProperties::new);
    }

    /**
     * {@value #BOOTSTRAP_SERVERS_ENV} when set; otherwise the address {@code standaloneBroker} supplies, which is asked
     * only then (so it may start the in-process broker, e.g. {@code () -> LocalKafkaBroker.start(...).bootstrapServers()}).
     */
    public static KafkaClientProperties fromEnv(EnvSettings env, Supplier<String> standaloneBroker) {
        return configured(env).orElseGet(() -> new KafkaClientProperties(standaloneBroker.get()));
    }

    /**
     * Producer settings for the request and reply paths.
     * <ul>
     *   <li>{@code acks=all} with idempotence: a request acknowledged to the ingress is on disk (on every in-sync
     *       replica of a real cluster) exactly once, even when the producer retries.</li>
     *   <li>{@code linger.ms=0}: a request is sent at once. Kafka 4's default of 5 ms waits for a fuller batch and
     *       adds ~10 ms to every request-reply round trip; here each HTTP call is one record, latency matters more
     *       than batching.</li>
     *   <li>{@code compression.type=none}: the payload is an image already compressed by its format; on the dev
     *       photos (0.3-0.9 MB JPEGs) gzip, lz4, zstd and snappy all save 0.0-0.3%, for up to 27 ms of CPU per image
     *       on each side. Replies are small, and with {@code linger.ms=0} a batch holds one record, so there is
     *       nothing to gain. (This assumes the image travels as raw bytes; base64 text would be worth compressing,
     *       or better, decoding at the ingress.)</li>
     *   <li>{@code max.request.size} = {@link #MAX_MESSAGE_BYTES}; the default {@code buffer.memory} (32 MiB) holds
     *       two maximal records in flight before {@code send} blocks, which is the back-pressure we want.</li>
     * </ul>
     */
    public Map<String, Object> producer() {
        Map<String, Object> props = common();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return props;
    }

    /**
     * Consumer settings for {@code groupId}.
     * <ul>
     *   <li>{@code enable.auto.commit=false}: offsets are committed after a request is handled (the listener
     *       container's job), so a worker crash re-delivers instead of losing a request.</li>
     *   <li>{@code auto.offset.reset=earliest}: a group with no committed offset (the first start) reads what is
     *       already queued; {@code latest} would silently skip requests sent before the first worker joined.</li>
     *   <li>{@code isolation.level=read_committed}: records of aborted transactions are never seen; without
     *       transactional producers it costs nothing.</li>
     *   <li>fetch sizes at least {@link #MAX_MESSAGE_BYTES}, so a maximal record is fetched in one response.</li>
     * </ul>
     */
    public Map<String, Object> consumer(String groupId) {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must not be blank");
        }
        Map<String, Object> props = common();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
        return props;
    }

    /** Admin client settings (topic creation, health checks). */
    public Map<String, Object> admin() {
        return common();
    }

    private Map<String, Object> common() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }
}

package io.rollcall.messaging;

import io.rollcall.config.EnvSettings;
import io.rollcall.config.Variable;
import io.rollcall.config.Variables;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The one place that knows Rollcall's Kafka topics: their names (with an optional deployment prefix, which
 * {@link KafkaClients} also puts before every consumer group), partition counts, replication, retention and the
 * message size they must accept. {@code schemas/README.md} describes each topic's key, producer, consumers and
 * message type.
 *
 * <p>Base names are private on purpose: every caller goes through an instance so that the prefix is never forgotten
 * (with Spring: a {@code Topics} bean and {@code @KafkaListener(topics = "#{@topics.faceRequests()}")}).
 */
public final class Topics {
    /**
     * The largest image a message carries (encoded file, after base64 decoding): the default of
     * {@code MAX_IMAGE_BYTES}, the requirements' 10 MiB. The setting may lower it, never raise it
     * ({@link #maxImageBytes}), so this one number sizes both the image limit and every Kafka message limit.
     */
    public static final int MAX_IMAGE_BYTES = Integer.parseInt(Variables.MAX_IMAGE_BYTES.defaultValue());
    /** A VerifyCommand carries two images; every other message at most one. */
    public static final int MAX_IMAGES_PER_MESSAGE = 2;
    /** Room for everything but the images: ids, names, Avro and Kafka record overhead, Spring's reply headers. */
    public static final int ENVELOPE_BYTES = 1024 * 1024;
    /**
     * Largest message on any Rollcall topic: two 10 MiB images plus the envelope, 21 MiB. Brokers, producers and
     * consumers all default to about 1 MiB; {@link #specs()} sets the topic side, {@link #producerSizeConfig()} and
     * {@link #consumerSizeConfig()} the client side.
     */
    public static final int MAX_MESSAGE_BYTES = MAX_IMAGES_PER_MESSAGE * MAX_IMAGE_BYTES + ENVELOPE_BYTES;

    /**
     * Upper bound on the worker group's consumers (workers × listener concurrency), e.g. 3 workers × 4 or 6 × 2.
     * Requests need no global order, so the count can be raised later without harm.
     */
    public static final int FACE_REQUESTS_PARTITIONS = 12;
    /**
     * When each ingress instance reads its own reply partition (named in Spring's reply-partition header), this
     * bounds the number of ingress instances.
     */
    public static final int FACE_REPLIES_PARTITIONS = 6;
    /**
     * Exactly ONE partition: every worker must apply gallery changes in the same total order (an add followed by a
     * removal must never be applied the other way round), and a single partition makes the offset a gallery version
     * that workers and callers can compare ({@code FaceRequest.min_gallery_version}). Never increase it.
     */
    public static final int GALLERY_CHANGES_PARTITIONS = 1;
    /** Parallelism of the recognition-log database writer; analytics consumers need no order across requests. */
    public static final int RECOGNITION_LOGS_PARTITIONS = 6;
    /** How many bulk jobs can run at once across the workers (one worker runs a whole job). */
    public static final int BULK_JOBS_PARTITIONS = 3;
    /** Keyed by job id, so a job's progress events stay in order on one partition. */
    public static final int BULK_PROGRESS_PARTITIONS = 3;
    /** Migrations are rare and one worker runs each; one partition keeps them in submission order. */
    public static final int MIGRATION_JOBS_PARTITIONS = 1;
    /** Compacted by worker id; every ingress reads all of it. */
    public static final int WORKER_STATUS_PARTITIONS = 1;
    /**
     * As many as the requests topic: Spring Kafka's dead-letter recoverer writes a failed record to the partition
     * with the same number it came from.
     */
    public static final int FACE_REQUESTS_DLT_PARTITIONS = FACE_REQUESTS_PARTITIONS;

    /**
     * Replication for production clusters, {@code KAFKA_REPLICATION_FACTOR}'s and {@code KAFKA_MIN_INSYNC_REPLICAS}'s
     * defaults: three copies, and with two of them acknowledging every write ({@code acks=all}), an acknowledged
     * enrollment survives the loss of any one broker while writes go on. A single broker takes 1 and 1
     * ({@link Replication#SINGLE_BROKER}).
     */
    public static final short RECOMMENDED_REPLICATION_FACTOR = Short.parseShort(Variables.KAFKA_REPLICATION_FACTOR.defaultValue());
    public static final int RECOMMENDED_MIN_INSYNC_REPLICAS = Integer.parseInt(Variables.KAFKA_MIN_INSYNC_REPLICAS.defaultValue());

    private static final String FACE_REQUESTS = "rollcall.face.requests";
    private static final String FACE_REPLIES = "rollcall.face.replies";
    private static final String GALLERY_CHANGES = "rollcall.gallery.changes";
    private static final String RECOGNITION_LOGS = "rollcall.recognition.logs";
    private static final String BULK_JOBS = "rollcall.bulk.jobs";
    private static final String BULK_PROGRESS = "rollcall.bulk.progress";
    private static final String FACE_REQUESTS_DLT = "rollcall.face.requests.dlt";
    private static final String MIGRATION_JOBS = "rollcall.migration.jobs";
    private static final String WORKER_STATUS = "rollcall.worker.status";

    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 24 * HOUR_MS;
    /** Kafka's legal topic characters; a topic name is at most 249 of them. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final int MAX_TOPIC_NAME_LENGTH = 249;

    private final String prefix;
    private final Replication replication;
    private final Retention retention;

    /** Topics without a prefix, replicated as {@link Replication#RECOMMENDED}. */
    public Topics() {
        this(null);
    }

    /** Topics with a prefix, replicated as {@link Replication#RECOMMENDED}. */
    public Topics(String prefix) {
        this(prefix, Replication.RECOMMENDED);
    }

    /** Topics with a prefix and a replication, kept as {@link Retention#DEFAULT}. */
    public Topics(String prefix, Replication replication) {
        this(prefix, replication, Retention.DEFAULT);
    }

    /**
     * @param prefix      prepended with a dot to every name ({@code staging} → {@code staging.rollcall.face.requests})
     *                    and to every consumer group; null or blank for none
     * @param replication how the topics are replicated when they are created
     * @param retention   how long the topics that carry personal data keep it
     * @throws IllegalArgumentException for characters Kafka does not allow, leading/trailing/double dots, or a
     *                                  prefix that makes a name longer than 249 characters
     */
    public Topics(String prefix, Replication replication, Retention retention) {
        this.replication = Objects.requireNonNull(replication, "replication");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.prefix = checkedPrefix(prefix);
    }

    private static String checkedPrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        String p = prefix.strip();
        if (!PREFIX.matcher(p).matches()) {
            throw new IllegalArgumentException(Variables.KAFKA_TOPIC_PREFIX.name() + " may hold only letters, digits, '_', '-' and single dots"
                    + " between them, got '" + p + "'");
        }
        if (p.length() + 1 + FACE_REQUESTS_DLT.length() > MAX_TOPIC_NAME_LENGTH) {
            throw new IllegalArgumentException(Variables.KAFKA_TOPIC_PREFIX.name() + " is too long: topic names are limited to "
                    + MAX_TOPIC_NAME_LENGTH + " characters");
        }
        return p + ".";
    }

    /**
     * {@code MAX_IMAGE_BYTES} as configured: any positive size up to {@link #MAX_IMAGE_BYTES}, the image allowance
     * every message limit ({@link #MAX_MESSAGE_BYTES}) is sized for. Read here, once for the ingress and the workers,
     * so that no setting can let an image through HTTP that Kafka would then refuse.
     */
    public static long maxImageBytes(EnvSettings env) {
        long bytes = env.integer(Variables.MAX_IMAGE_BYTES);
        if (bytes < 1 || bytes > MAX_IMAGE_BYTES) {
            throw new IllegalArgumentException(Variables.MAX_IMAGE_BYTES.name() + " must be between 1 and " + MAX_IMAGE_BYTES
                    + " (the image allowance of Kafka's message limit), got " + bytes);
        }
        return bytes;
    }

    /** The prefix including its trailing dot, or an empty string. */
    public String prefix() {
        return prefix;
    }

    public Replication replication() {
        return replication;
    }

    public Retention retention() {
        return retention;
    }

    /** {@code FaceRequest}s from the ingress to the workers. */
    public String faceRequests() {
        return prefix + FACE_REQUESTS;
    }

    /** {@code FaceReply}s from the workers to the waiting ingress. */
    public String faceReplies() {
        return prefix + FACE_REPLIES;
    }

    /** {@code GalleryChange}s from the worker that committed them to every worker. */
    public String galleryChanges() {
        return prefix + GALLERY_CHANGES;
    }

    /** {@code RecognitionLogEvent}s from the workers to the log writer and analytics. */
    public String recognitionLogs() {
        return prefix + RECOGNITION_LOGS;
    }

    /** {@code BulkEnrollJob}s from the ingress (or CLI) to the workers. */
    public String bulkJobs() {
        return prefix + BULK_JOBS;
    }

    /** {@code BulkJobProgress} from the worker running a job to whoever reports on it. */
    public String bulkProgress() {
        return prefix + BULK_PROGRESS;
    }

    /** {@code MigrationJob}s from the ingress (or CLI) to the workers; progress goes to {@link #bulkProgress()}. */
    public String migrationJobs() {
        return prefix + MIGRATION_JOBS;
    }

    /** {@code WorkerHeartbeat}s: every worker's latest state, for health. */
    public String workerStatus() {
        return prefix + WORKER_STATUS;
    }

    /** Requests the workers could not process or decode, unchanged bytes plus Spring's exception headers. */
    public String faceRequestsDeadLetter() {
        return prefix + FACE_REQUESTS_DLT;
    }

    /**
     * How to create every topic: name, partitions, replication and topic configs (cleanup, retention, segment age,
     * message size, {@code min.insync.replicas}). Every topic has a {@code segment.ms}: Kafka deletes whole segments
     * only, so a record is gone at most {@code segment.ms + retention.ms} (plus the broker's retention check
     * interval) after it was written. The topics that carry photos or personal data get {@link Retention}'s bounds;
     * {@link KafkaTopics} also applies them to topics that already exist, so an upgrade shortens an older retention.
     */
    public List<TopicSpec> specs() {
        long segment = retention.segments().toMillis();
        return List.of(
                // Door photos: a request is answered within seconds, and a failed one is kept on the dead-letter
                // topic instead, so an hour is ample.
                spec(faceRequests(), FACE_REQUESTS_PARTITIONS, TopicConfig.CLEANUP_POLICY_DELETE,
                        retention.photos().toMillis(), segment),
                // Names, codes and match results: a reply nobody read within the photo bound never will be.
                spec(faceReplies(), FACE_REPLIES_PARTITIONS, TopicConfig.CLEANUP_POLICY_DELETE,
                        retention.photos().toMillis(), segment),
                // Sample ids and person codes only (no embeddings, no names): workers rebuild from the database at
                // start and only replay changes after their snapshot, and the periodic reconciliation repairs
                // anything missed. Not compacted: one person has several ADDED samples.
                spec(galleryChanges(), GALLERY_CHANGES_PARTITIONS, TopicConfig.CLEANUP_POLICY_DELETE,
                        retention.galleryChanges().toMillis(), segment),
                // Codes and scores, no photo or name: the database writer may be down for a week without losing a row.
                spec(recognitionLogs(), RECOGNITION_LOGS_PARTITIONS, TopicConfig.CLEANUP_POLICY_DELETE, 7 * DAY_MS, DAY_MS),
                // Names and photo paths (not photos): a job waits for a worker at most a day.
                spec(bulkJobs(), BULK_JOBS_PARTITIONS, TopicConfig.CLEANUP_POLICY_DELETE, DAY_MS, HOUR_MS),
                // Compacted by job id: the latest event of each job is its status; statuses expire after 30 days.
                spec(bulkProgress(), BULK_PROGRESS_PARTITIONS,
                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE, 30 * DAY_MS, DAY_MS),
                spec(migrationJobs(), MIGRATION_JOBS_PARTITIONS, TopicConfig.CLEANUP_POLICY_DELETE, 7 * DAY_MS, DAY_MS),
                // Compacted by worker id: the latest heartbeat of each worker is its state; a worker gone a day is
                // forgotten.
                spec(workerStatus(), WORKER_STATUS_PARTITIONS,
                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE, DAY_MS, HOUR_MS),
                // Failed requests keep their photos: a day to look into one, no longer.
                spec(faceRequestsDeadLetter(), FACE_REQUESTS_DLT_PARTITIONS, TopicConfig.CLEANUP_POLICY_DELETE,
                        retention.deadLetters().toMillis(), segment));
    }

    /** Producer settings that let a client send {@link #MAX_MESSAGE_BYTES} messages. */
    public static Map<String, Object> producerSizeConfig() {
        return Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES,
                // The default 32 MiB holds one largest message; room for a few queued ones avoids blocking send().
                ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * MAX_MESSAGE_BYTES);
    }

    /** Consumer settings that let a client fetch {@link #MAX_MESSAGE_BYTES} messages. */
    public static Map<String, Object> consumerSizeConfig() {
        // fetch.max.bytes (default 50 MiB) is already larger; the per-partition limit (default 1 MiB) is not.
        return Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES);
    }

    private TopicSpec spec(String name, int partitions, String cleanupPolicy, long retentionMs, long segmentMs) {
        return new TopicSpec(name, partitions, replication.factor(), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs),
                // Never longer than the retention: a segment older than that is what keeps a record past it.
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.min(segmentMs, retentionMs)),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replication.minInsyncReplicas())));
    }

    /**
     * One topic to create.
     *
     * @param replicationFactor copies of each partition; the cluster needs at least as many brokers
     * @param configs           topic-level configs, keys from {@link TopicConfig}
     */
    public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        public TopicSpec {
            if (replicationFactor < 1) {
                throw new IllegalArgumentException("replication factor of " + name + " must be at least 1, got " + replicationFactor);
            }
            configs = Map.copyOf(configs);
        }
    }

    /**
     * How the topics Rollcall creates are replicated ({@code KAFKA_REPLICATION_FACTOR}, {@code
     * KAFKA_MIN_INSYNC_REPLICAS}). With {@code acks=all} a write is acknowledged once {@code minInsyncReplicas} copies
     * have it, and refused while fewer are in sync, so at least that many must exist.
     */
    public record Replication(short factor, int minInsyncReplicas) {
        /** Three copies, two acknowledged: survives losing one broker. */
        public static final Replication RECOMMENDED = new Replication(RECOMMENDED_REPLICATION_FACTOR, RECOMMENDED_MIN_INSYNC_REPLICAS);
        /** One node, one copy: the in-process broker of {@code ./rollcall}, a development broker. */
        public static final Replication SINGLE_BROKER = new Replication((short) 1, 1);

        public Replication {
            if (factor < 1) {
                throw new IllegalArgumentException(Variables.KAFKA_REPLICATION_FACTOR.name() + " must be at least 1, got " + factor);
            }
            if (minInsyncReplicas < 1 || minInsyncReplicas > factor) {
                throw new IllegalArgumentException(Variables.KAFKA_MIN_INSYNC_REPLICAS.name() + " must be between 1 and "
                        + Variables.KAFKA_REPLICATION_FACTOR.name() + " (" + factor + "), got " + minInsyncReplicas
                        + ": with more required copies than exist every write would be refused");
            }
        }
    }

    /**
     * How long the topics that carry personal data keep it ({@code KAFKA_PHOTO_RETENTION_MS},
     * {@code KAFKA_DEAD_LETTER_RETENTION_MS}, {@code KAFKA_GALLERY_CHANGES_RETENTION_MS}, {@code KAFKA_SEGMENT_MS}).
     * A record written at t is gone from the log by t + segments + retention + the broker's retention check interval.
     *
     * @param photos         requests (door photos) and replies (names, match results)
     * @param deadLetters    failed requests, photos included
     * @param galleryChanges sample ids and person codes of enrollments and deletions
     * @param segments       the longest a segment of those topics stays open ({@code segment.ms})
     */
    public record Retention(Duration photos, Duration deadLetters, Duration galleryChanges, Duration segments) {
        /** The variables' defaults: an hour for photos, a day for failed requests and gallery changes, 10 min segments. */
        public static final Retention DEFAULT = new Retention(
                Duration.ofMillis(Long.parseLong(Variables.KAFKA_PHOTO_RETENTION_MS.defaultValue())),
                Duration.ofMillis(Long.parseLong(Variables.KAFKA_DEAD_LETTER_RETENTION_MS.defaultValue())),
                Duration.ofMillis(Long.parseLong(Variables.KAFKA_GALLERY_CHANGES_RETENTION_MS.defaultValue())),
                Duration.ofMillis(Long.parseLong(Variables.KAFKA_SEGMENT_MS.defaultValue())));

        public Retention {
            positive(photos, Variables.KAFKA_PHOTO_RETENTION_MS);
            positive(deadLetters, Variables.KAFKA_DEAD_LETTER_RETENTION_MS);
            positive(galleryChanges, Variables.KAFKA_GALLERY_CHANGES_RETENTION_MS);
            positive(segments, Variables.KAFKA_SEGMENT_MS);
        }

        /** Reads the four variables, each defaulting to {@link #DEFAULT}'s value. */
        public static Retention fromEnvironment(EnvSettings env) {
            return new Retention(Duration.ofMillis(env.integer(Variables.KAFKA_PHOTO_RETENTION_MS)),
                    Duration.ofMillis(env.integer(Variables.KAFKA_DEAD_LETTER_RETENTION_MS)),
                    Duration.ofMillis(env.integer(Variables.KAFKA_GALLERY_CHANGES_RETENTION_MS)),
                    Duration.ofMillis(env.integer(Variables.KAFKA_SEGMENT_MS)));
        }

        private static void positive(Duration value, Variable variable) {
            // Kafka reads -1 as "forever" and 0 as "delete at once"; neither is a bound anyone means to set.
            if (value == null || value.toMillis() < 1) {
                throw new IllegalArgumentException(variable.name() + " must be a positive number of milliseconds, got "
                        + (value == null ? null : value.toMillis()));
            }
        }
    }

    @Override
    public String toString() {
        return "Topics[prefix=" + prefix + ", replication=" + replication + ", retention=" + retention + "]";
    }
}

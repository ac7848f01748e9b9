package io.rollcall.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every environment variable Rollcall reads, each with its one default. The processes' bindings
 * ({@code IngressSettings}, {@code WorkerConfig}, {@code KafkaSettings}) read them only through
 * {@link EnvSettings}, which accepts nothing but these constants, so a name or a default cannot be spelt twice. A
 * family ({@code KAFKA_CLIENT_*}) stands for every variable starting with its prefix.
 * {@code VariablesReadmeTest} fails when the README's configuration table and this list disagree.
 */
public final class Variables {
    private static final List<Variable> ALL = new ArrayList<>();

    // Model packs and the engine
    public static final Variable MODELS_DIR = add(Variable.literal("MODELS_DIR", "./models"));
    public static final Variable INSIGHTFACE_MODEL = add(Variable.literal("INSIGHTFACE_MODEL", "buffalo_l"));
    public static final Variable AUTO_DOWNLOAD_MODELS = add(Variable.literal("AUTO_DOWNLOAD_MODELS", "true"));
    public static final Variable DETECTION_SIZES = add(Variable.literal("DETECTION_SIZES", "128,640"));
    public static final Variable DETECTION_THRESHOLD = add(Variable.literal("DETECTION_THRESHOLD", "0.7"));
    public static final Variable INFERENCE_THREADS = add(Variable.literal("INFERENCE_THREADS", "1"));
    public static final Variable INFERENCE_CONCURRENCY = add(Variable.derived("INFERENCE_CONCURRENCY", "cores ÷ `INFERENCE_THREADS` (≥ 1)"));
    public static final Variable ENABLE_FACE_QUALITY_CHECK = add(Variable.literal("ENABLE_FACE_QUALITY_CHECK", "true"));
    /** The requirements' 10 MiB; also the ceiling, because every Kafka message limit is sized from it (Topics). */
    public static final Variable MAX_IMAGE_BYTES = add(Variable.literal("MAX_IMAGE_BYTES", Long.toString(10L * 1024 * 1024)));
    public static final Variable MAX_IMAGE_PIXELS = add(Variable.literal("MAX_IMAGE_PIXELS", "50000000"));

    // Recognition and enrollment rules
    public static final Variable SIMILARITY_THRESHOLD = add(Variable.derived("SIMILARITY_THRESHOLD", "unset (the open-set decision)"));
    public static final Variable OPEN_SET_FALSE_ACCEPT_RATE = add(Variable.literal("OPEN_SET_FALSE_ACCEPT_RATE", "0.01"));
    public static final Variable OPEN_SET_IMPOSTOR_TAIL = add(Variable.derived("OPEN_SET_IMPOSTOR_TAIL", "the pack's `impostor_tail`"));
    /**
     * 0.3: below the dev pack's impostor score at a false-match rate of 1 in 1,000 (0.34 on the 1,611 people of
     * shared/faces/scale), so neither a request nor a worker's SIMILARITY_THRESHOLD can match strangers routinely.
     */
    public static final Variable MIN_SIMILARITY_THRESHOLD = add(Variable.literal("MIN_SIMILARITY_THRESHOLD", "0.3"));
    public static final Variable DUPLICATE_THRESHOLD = add(Variable.literal("DUPLICATE_THRESHOLD", "0.75"));
    public static final Variable MAX_SAMPLES_PER_PERSON = add(Variable.literal("MAX_SAMPLES_PER_PERSON", "10"));
    public static final Variable SAMPLE_MATCH_THRESHOLD = add(Variable.derived("SAMPLE_MATCH_THRESHOLD", "the pack's `sample_match_threshold`"));
    public static final Variable ATTENDANCE_GRACE_MINUTES = add(Variable.literal("ATTENDANCE_GRACE_MINUTES", "10"));
    public static final Variable SCHOOL_TIMEZONE = add(Variable.derived("SCHOOL_TIMEZONE", "system zone"));

    // The HTTP ingress
    public static final Variable PORT = add(Variable.literal("PORT", "8000"));
    public static final Variable MANAGEMENT_PORT = add(Variable.literal("MANAGEMENT_PORT", "8002"));
    public static final Variable RATE_LIMIT_PER_MINUTE = add(Variable.literal("RATE_LIMIT_PER_MINUTE", "100"));
    public static final Variable API_KEYS = add(Variable.derived("API_KEYS", "unset"));
    public static final Variable ADMIN_API_KEYS = add(Variable.derived("ADMIN_API_KEYS", "unset"));
    /** Off: without keys only loopback callers are served (the protected mode of Redis). */
    public static final Variable ALLOW_ANONYMOUS = add(Variable.literal("ALLOW_ANONYMOUS", "false"));
    public static final Variable TRUSTED_PROXIES = add(Variable.derived("TRUSTED_PROXIES", "unset"));
    /** None: a web page on another origin cannot call the API until its origin is named here. */
    public static final Variable CORS_ALLOWED_ORIGINS = add(Variable.derived("CORS_ALLOWED_ORIGINS", "unset (no origin)"));
    public static final Variable REQUEST_TIMEOUT_MS = add(Variable.literal("REQUEST_TIMEOUT_MS", "30000"));
    public static final Variable MAX_BATCH_ITEMS = add(Variable.literal("MAX_BATCH_ITEMS", "50"));
    public static final Variable MAX_CONCURRENT_REQUESTS = add(Variable.literal("MAX_CONCURRENT_REQUESTS", "10"));
    public static final Variable QUEUE_TIMEOUT_MS = add(Variable.literal("QUEUE_TIMEOUT_MS", "2000"));
    /** Derived from the heap (IngressSettings): request bodies are held in it while they are parsed and sent on. */
    public static final Variable MAX_INFLIGHT_REQUEST_BYTES = add(Variable.derived("MAX_INFLIGHT_REQUEST_BYTES",
            "⅛ of the JVM's maximum heap"));

    // Kafka
    public static final Variable KAFKA_BOOTSTRAP_SERVERS = add(Variable.derived("KAFKA_BOOTSTRAP_SERVERS", "unset (embedded broker)"));
    public static final Variable KAFKA_TOPIC_PREFIX = add(Variable.derived("KAFKA_TOPIC_PREFIX", "unset"));
    public static final Variable KAFKA_PORT = add(Variable.derived("KAFKA_PORT", "a free port"));
    /**
     * Copies of each partition of the topics Rollcall creates: three, and with two of them acknowledging every write
     * ({@code acks=all}), an acknowledged enrollment survives the loss of any one broker. The in-process broker of
     * {@code ./rollcall} is one node, so there the default is 1 and 1 ({@code KafkaSettings}).
     */
    public static final Variable KAFKA_REPLICATION_FACTOR = add(Variable.literal("KAFKA_REPLICATION_FACTOR", "3"));
    public static final Variable KAFKA_MIN_INSYNC_REPLICAS = add(Variable.literal("KAFKA_MIN_INSYNC_REPLICAS", "2"));
    /** Any Kafka client property: {@code KAFKA_CLIENT_SECURITY_PROTOCOL} is {@code security.protocol} (KafkaClients). */
    public static final Variable KAFKA_CLIENT = add(Variable.family("KAFKA_CLIENT_*", "unset"));
    /**
     * How long the topics that carry door photos and their answers (requests, replies) keep a message: an hour,
     * because a request is answered within seconds and a photo is the most sensitive data the service handles. With
     * {@code KAFKA_SEGMENT_MS} and the broker's retention check it bounds how long a photo stays in Kafka (Topics).
     */
    public static final Variable KAFKA_PHOTO_RETENTION_MS = add(Variable.literal("KAFKA_PHOTO_RETENTION_MS", Long.toString(3_600_000L)));
    /** Failed requests, photos included, kept for an operator to look into: a day. */
    public static final Variable KAFKA_DEAD_LETTER_RETENTION_MS = add(Variable.literal("KAFKA_DEAD_LETTER_RETENTION_MS", Long.toString(86_400_000L)));
    /** Gallery changes (sample ids and person codes, no embeddings): a day, far more than any worker's catch-up. */
    public static final Variable KAFKA_GALLERY_CHANGES_RETENTION_MS = add(Variable.literal("KAFKA_GALLERY_CHANGES_RETENTION_MS", Long.toString(86_400_000L)));
    /**
     * Kafka deletes whole segments only: a record lives until the newest record of its segment is older than the
     * retention, so the segment's age is part of the bound. Ten minutes on the topics above.
     */
    public static final Variable KAFKA_SEGMENT_MS = add(Variable.literal("KAFKA_SEGMENT_MS", Long.toString(600_000L)));

    // Workers
    public static final Variable WORKER_ID = add(Variable.derived("WORKER_ID", "host name and pid"));
    public static final Variable WORKER_PORT = add(Variable.literal("WORKER_PORT", "8001"));
    public static final Variable GALLERY_RECONCILE_SECONDS = add(Variable.literal("GALLERY_RECONCILE_SECONDS", "30"));
    /** The share of recognitions also run on a candidate pack in shadow mode (POST /api/admin/model, mode shadow). */
    public static final Variable SHADOW_SAMPLE_RATE = add(Variable.literal("SHADOW_SAMPLE_RATE", "1.0"));
    /** The gallery's exact rows (a private file) and its snapshot live here (GallerySnapshot). */
    public static final Variable GALLERY_DIR = add(Variable.derived("GALLERY_DIR", "`${DATA_DIR}/gallery`"));
    public static final Variable GALLERY_SNAPSHOT = add(Variable.literal("GALLERY_SNAPSHOT", "true"));

    // Storage
    public static final Variable DATA_DIR = add(Variable.literal("DATA_DIR", "./data"));
    public static final Variable DATABASE_URL = add(Variable.derived("DATABASE_URL", "H2 file `${DATA_DIR}/db/rollcall`"));
    public static final Variable DATABASE_USER = add(Variable.derived("DATABASE_USER", "unset"));
    public static final Variable DATABASE_PASSWORD = add(Variable.derived("DATABASE_PASSWORD", "unset"));
    public static final Variable DATABASE_POOL_SIZE = add(Variable.literal("DATABASE_POOL_SIZE", "5"));
    public static final Variable BULK_IMPORT_DIR = add(Variable.derived("BULK_IMPORT_DIR", "`${DATA_DIR}/import`"));
    /** No default: a backup holds minors' biometric data, so it is never written unencrypted. */
    public static final Variable BACKUP_KEY = add(Variable.derived("BACKUP_KEY", "unset"));

    // Read outside Java: by logback.xml and by the ./rollcall script
    public static final Variable LOG_LEVEL = add(Variable.literal("LOG_LEVEL", "INFO"));
    public static final Variable KAFKA_LOG_LEVEL = add(Variable.literal("KAFKA_LOG_LEVEL", "WARN"));
    public static final Variable ROLLCALL_JAVA_OPTS = add(Variable.literal("ROLLCALL_JAVA_OPTS", "-Xmx1g"));

    private Variables() {
    }

    /** Every variable, in the order the README lists them by topic. */
    public static List<Variable> all() {
        return Collections.unmodifiableList(ALL);
    }

    private static Variable add(Variable v) {
        ALL.add(v);
        return v;
    }
}

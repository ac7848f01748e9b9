package io.rollcall.ingress.http;

import io.rollcall.config.EnvSettings;
import io.rollcall.config.Variables;
import io.rollcall.messaging.Topics;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the HTTP ingress is configured with, read once from the environment.
 *
 * @param port               {@code PORT}, default 8000: the API, and nothing else
 * @param managementPort     {@code MANAGEMENT_PORT}, default 8002: health probes and Prometheus metrics, never on
 *                           {@code PORT}, so that the API's callers cannot read them
 * @param rateLimitPerMinute {@code RATE_LIMIT_PER_MINUTE} requests per client (API key, else address) in any 60 s,
 *                           default 100; 0 disables
 * @param apiKeys            {@code API_KEYS}, comma-separated; with no keys at all (neither these nor admin keys)
 *                           only loopback callers are served, unless {@code allowAnonymous}
 * @param adminApiKeys       {@code ADMIN_API_KEYS}, comma-separated: the keys that may also delete, bulk-import and
 *                           use {@code /api/admin/}
 * @param allowAnonymous     {@code ALLOW_ANONYMOUS}, default false: serve callers from other machines without keys
 * @param trustedProxies     {@code TRUSTED_PROXIES}: addresses and CIDR ranges whose forwarding headers name the
 *                           client, default none
 * @param corsOrigins        {@code CORS_ALLOWED_ORIGINS}, comma-separated, default none
 * @param requestTimeout     {@code REQUEST_TIMEOUT_MS}: how long a caller waits for a worker's reply, default 30 s
 * @param maxImageBytes      {@code MAX_IMAGE_BYTES}, default 10 MiB
 * @param maxBatchItems      {@code MAX_BATCH_ITEMS} per batch-enroll request, default 50
 * @param maxConcurrentRequests {@code MAX_CONCURRENT_REQUESTS} requests with a photo in flight at once in this
 *                              ingress, default 10 (the requirements' value); 0 disables the limit
 * @param queueTimeout       {@code QUEUE_TIMEOUT_MS}: how long a request over that limit, or over the in-flight
 *                           byte budget, waits, default 2 s
 * @param maxInflightRequestBytes {@code MAX_INFLIGHT_REQUEST_BYTES}: request body bytes all requests together may
 *                           hold at once, default ⅛ of the heap ({@link #defaultInflightBytes})
 * @param minSimilarityThreshold {@code MIN_SIMILARITY_THRESHOLD}, default 0.3: the lowest {@code similarity_threshold}
 *                           a request may ask for
 * @param schoolZone         {@code SCHOOL_TIMEZONE}, default the system zone: responses give times with its offset,
 *                           as the school's DATETIME columns hold that zone's wall-clock time
 */
public record IngressSettings(int port, int managementPort, int rateLimitPerMinute, List<String> apiKeys,
                              List<String> adminApiKeys, boolean allowAnonymous, TrustedProxies trustedProxies,
                              List<String> corsOrigins, Duration requestTimeout, long maxImageBytes, int maxBatchItems,
                              int maxConcurrentRequests, Duration queueTimeout, long maxInflightRequestBytes,
                              double minSimilarityThreshold, ZoneId schoolZone) {

    /** The largest bulk-import CSV (its 10,000 rows, generously wide): part of the largest request body. */
    public static final int MAX_CSV_BYTES = 8 * 1024 * 1024;
    /** 2 GiB: the budget is counted in an int of bytes, and more bodies than that at once is no school's load. */
    static final long MAX_INFLIGHT_BUDGET = Integer.MAX_VALUE;

    public static IngressSettings from(Map<String, String> environment) {
        return from(environment, Runtime.getRuntime().maxMemory());
    }

    /** @param maxHeapBytes the JVM's maximum heap, which sizes the default in-flight byte budget */
    static IngressSettings from(Map<String, String> environment, long maxHeapBytes) {
        EnvSettings env = new EnvSettings(environment);
        long maxImageBytes = Topics.maxImageBytes(env);
        return new IngressSettings(
                (int) env.integer(Variables.PORT),
                (int) env.integer(Variables.MANAGEMENT_PORT),
                (int) env.integer(Variables.RATE_LIMIT_PER_MINUTE),
                env.list(Variables.API_KEYS),
                env.list(Variables.ADMIN_API_KEYS),
                env.flag(Variables.ALLOW_ANONYMOUS),
                TrustedProxies.parse(env.list(Variables.TRUSTED_PROXIES)),
                env.list(Variables.CORS_ALLOWED_ORIGINS),
                Duration.ofMillis(env.integer(Variables.REQUEST_TIMEOUT_MS)),
                maxImageBytes,
                (int) env.integer(Variables.MAX_BATCH_ITEMS),
                (int) env.integer(Variables.MAX_CONCURRENT_REQUESTS),
                Duration.ofMillis(env.integer(Variables.QUEUE_TIMEOUT_MS)),
                env.integer(Variables.MAX_INFLIGHT_REQUEST_BYTES, defaultInflightBytes(maxHeapBytes, maxImageBytes)),
                env.decimal(Variables.MIN_SIMILARITY_THRESHOLD),
                env.zone(Variables.SCHOOL_TIMEZONE, ZoneId.systemDefault()));
    }

    /**
     * ⅛ of the heap, and never less than one verify request (two photos): a body is held as text, then as decoded
     * bytes, then encoded for Kafka, a few times its size at once, and in the one-process start the worker shares
     * the heap. 128 MiB at the default {@code -Xmx1g}; at most {@link #MAX_INFLIGHT_BUDGET}.
     */
    static long defaultInflightBytes(long maxHeapBytes, long maxImageBytes) {
        return Math.min(MAX_INFLIGHT_BUDGET, Math.max(maxHeapBytes / 8, BodyLimits.photoRequest(maxImageBytes, 2)));
    }

    public IngressSettings {
        checkPort("PORT", port);
        checkPort("MANAGEMENT_PORT", managementPort);
        if (managementPort != 0 && managementPort == port) {
            throw new IllegalArgumentException("MANAGEMENT_PORT must differ from PORT (" + port
                    + "): health and metrics are never served on the API's port");
        }
        if (rateLimitPerMinute < 0) {
            throw new IllegalArgumentException("RATE_LIMIT_PER_MINUTE must be 0 (off) or positive, got " + rateLimitPerMinute);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("REQUEST_TIMEOUT_MS must be positive");
        }
        if (maxConcurrentRequests < 0) {
            throw new IllegalArgumentException("MAX_CONCURRENT_REQUESTS must be 0 (off) or positive, got " + maxConcurrentRequests);
        }
        if (queueTimeout.isNegative()) {
            throw new IllegalArgumentException("QUEUE_TIMEOUT_MS must be 0 (no waiting) or positive");
        }
        long twoPhotos = BodyLimits.photoRequest(maxImageBytes, 2);
        if (maxInflightRequestBytes > MAX_INFLIGHT_BUDGET) {
            throw new IllegalArgumentException("MAX_INFLIGHT_REQUEST_BYTES must be at most " + MAX_INFLIGHT_BUDGET
                    + ", got " + maxInflightRequestBytes);
        }
        if (maxInflightRequestBytes < twoPhotos) {
            throw new IllegalArgumentException("MAX_INFLIGHT_REQUEST_BYTES must hold at least one verify request of two "
                    + "photos of MAX_IMAGE_BYTES (" + twoPhotos + " bytes), got " + maxInflightRequestBytes);
        }
        if (Double.isNaN(minSimilarityThreshold) || minSimilarityThreshold < 0 || minSimilarityThreshold >= 1) {
            throw new IllegalArgumentException("MIN_SIMILARITY_THRESHOLD must be at least 0 and below 1, got " + minSimilarityThreshold);
        }
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(schoolZone, "schoolZone");
        apiKeys = List.copyOf(apiKeys);
        adminApiKeys = List.copyOf(adminApiKeys);
        corsOrigins = List.copyOf(corsOrigins);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0..65535, got " + port);
        }
    }

    /** How responses write times: with the school's offset. */
    public SchoolTime schoolTime() {
        return new SchoolTime(schoolZone);
    }

    /** The body limit of every endpoint, capped by the in-flight budget. */
    public BodyLimits bodyLimits() {
        return new BodyLimits(maxImageBytes, maxBatchItems, MAX_CSV_BYTES, maxInflightRequestBytes);
    }
}

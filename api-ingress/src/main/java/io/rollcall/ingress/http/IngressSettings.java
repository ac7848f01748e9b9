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
 * @param port               {@code PORT}, default 8000
 * @param rateLimitPerMinute {@code RATE_LIMIT_PER_MINUTE} requests per client (API key, else address) in any 60 s,
 *                           default 100; 0 disables
 * @param apiKeys            {@code API_KEYS}, comma-separated; empty means no authentication
 * @param trustedProxies     {@code TRUSTED_PROXIES}: addresses and CIDR ranges whose forwarding headers name the
 *                           client, default none
 * @param corsOrigins        {@code CORS_ALLOWED_ORIGINS}, comma-separated, default {@code *}
 * @param requestTimeout     {@code REQUEST_TIMEOUT_MS}: how long a caller waits for a worker's reply, default 30 s
 * @param maxImageBytes      {@code MAX_IMAGE_BYTES}, default 10 MiB
 * @param maxBatchItems      {@code MAX_BATCH_ITEMS} per batch-enroll request, default 50
 * @param maxConcurrentRequests {@code MAX_CONCURRENT_REQUESTS} requests with a photo in flight at once in this
 *                              ingress, default 10 (the requirements' value); 0 disables the limit
 * @param queueTimeout       {@code QUEUE_TIMEOUT_MS}: how long a request over that limit waits for a slot, default 2 s
 * @param schoolZone         {@code SCHOOL_TIMEZONE}, default the system zone: responses give times with its offset,
 *                           as the school's DATETIME columns hold that zone's wall-clock time
 */
public record IngressSettings(int port, int rateLimitPerMinute, List<String> apiKeys, TrustedProxies trustedProxies,
                              List<String> corsOrigins, Duration requestTimeout, long maxImageBytes, int maxBatchItems,
                              int maxConcurrentRequests, Duration queueTimeout, ZoneId schoolZone) {

    /** The largest bulk-import CSV (its 10,000 rows, generously wide): part of the largest request body. */
    public static final int MAX_CSV_BYTES = 8 * 1024 * 1024;

    public static IngressSettings from(Map<String, String> environment) {
        EnvSettings env = new EnvSettings(environment);
        return new IngressSettings(
                (int) env.integer(Variables.PORT),
                (int) env.integer(Variables.RATE_LIMIT_PER_MINUTE),
                env.list(Variables.API_KEYS),
                TrustedProxies.parse(env.list(Variables.TRUSTED_PROXIES)),
                env.list(Variables.CORS_ALLOWED_ORIGINS),
                Duration.ofMillis(env.integer(Variables.REQUEST_TIMEOUT_MS)),
                Topics.maxImageBytes(env),
                (int) env.integer(Variables.MAX_BATCH_ITEMS),
                (int) env.integer(Variables.MAX_CONCURRENT_REQUESTS),
                Duration.ofMillis(env.integer(Variables.QUEUE_TIMEOUT_MS)),
                env.zone(Variables.SCHOOL_TIMEZONE, ZoneId.systemDefault()));
    }

    public IngressSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be 0..65535, got " + port);
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
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(schoolZone, "schoolZone");
        apiKeys = List.copyOf(apiKeys);
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** How responses write times: with the school's offset. */
    public SchoolTime schoolTime() {
        return new SchoolTime(schoolZone);
    }

    /**
     * Largest request body accepted: a batch of images in base64 (4/3 of the bytes) plus the JSON around them, or a
     * bulk-import CSV inside JSON (escaping can double it), whichever is larger. Bodies above it are refused before
     * they are read.
     */
    public long maxRequestBytes() {
        long batch = (long) Math.max(1, maxBatchItems) * (maxImageBytes * 4 / 3 + 4096) + 65_536;
        return Math.max(batch, 2L * MAX_CSV_BYTES + 65_536);
    }
}

package io.rollcall.ingress.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.http.IngressSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code RATE_LIMIT_PER_MINUTE} requests per client IP (the requirements' 100 per minute), as a token bucket
 * (bucket4j) refilled gradually so a client is not locked out for a whole minute after a burst. Over the limit:
 * 429 {@code RATE_LIMITED} with {@code Retry-After}. Health and metrics are exempt so probes are never throttled.
 * The client is the connection's address; behind a proxy, configure the proxy to limit instead. Runs before the
 * API key check, so guessing keys is limited too, and after CORS, so browsers' preflights are not counted.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public final class RateLimit extends OncePerRequestFilter {
    /** Buckets of clients not seen for a while are dropped beyond this many, oldest first, bounding memory. */
    private static final int MAX_TRACKED_CLIENTS = 100_000;

    private final int perMinute;
    private final Map<String, Bucket> buckets = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_TRACKED_CLIENTS;
        }
    });

    public RateLimit(IngressSettings settings) {
        this.perMinute = settings.rateLimitPerMinute();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = ApiPaths.of(request);
        return perMinute == 0 || ApiPaths.isHealth(path) || ApiPaths.isActuator(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Bucket bucket = buckets.computeIfAbsent(request.getRemoteAddr(), ip -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        response.setHeader("X-RateLimit-Limit", Integer.toString(perMinute));
        response.setHeader("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
        response.setHeader("Retry-After", Long.toString(retryAfter));
        ErrorResponses.write(request, response, ErrorCode.RATE_LIMITED,
                "Rate limit of " + perMinute + " requests per minute exceeded", Map.of("retry_after_seconds", retryAfter));
    }
}

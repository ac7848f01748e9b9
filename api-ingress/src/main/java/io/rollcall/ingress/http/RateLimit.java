package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code RATE_LIMIT_PER_MINUTE} requests per client (the requirements' 100 per minute) in any 60 seconds, never
 * more ({@link SlidingWindowLimiter}); the client is the API key, the original address behind a trusted proxy, or
 * the connecting address ({@link RateLimitClients}). Over the limit: 429 {@code RATE_LIMITED} with
 * {@code Retry-After}, the seconds until the client's oldest counted request leaves the window. Health is exempt
 * so probes are never throttled (metrics are on the management port, which this filter never sees). Runs before the API key check, so guessing keys is limited too, and
 * after CORS, so browsers' preflights are not counted.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public final class RateLimit extends OncePerRequestFilter {
    /**
     * Timestamps (8 bytes each) the logs may hold together, about 8 MB: the clients tracked at once are this divided
     * by the limit (10,000 at the default 100), but at least {@link #MIN_TRACKED_CLIENTS}.
     */
    private static final int MAX_TRACKED_REQUESTS = 1_000_000;
    private static final int MIN_TRACKED_CLIENTS = 1_000;
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final RateLimitClients clients;
    private final SlidingWindowLimiter limiter;

    public RateLimit(IngressSettings settings) {
        this.perMinute = settings.rateLimitPerMinute();
        this.clients = new RateLimitClients(new KnownKeys(settings.apiKeys(), settings.adminApiKeys()), settings.trustedProxies());
        this.limiter = perMinute == 0 ? null
                : new SlidingWindowLimiter(perMinute, WINDOW,
                Math.max(MIN_TRACKED_CLIENTS, MAX_TRACKED_REQUESTS / perMinute), SlidingWindowLimiter::monotonicMillis);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = ApiPaths.of(request);
        return perMinute == 0 || ApiPaths.isHealth(path) || ApiPaths.isAdminPage(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SlidingWindowLimiter.Decision decision = limiter.acquire(clients.of(request));
        response.setHeader("X-RateLimit-Limit", Integer.toString(perMinute));
        response.setHeader("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
        if (decision.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = decision.retryAfterSeconds();
        response.setHeader("Retry-After", Long.toString(retryAfter));
        ErrorResponses.write(request, response, ErrorCode.RATE_LIMITED,
                "Rate limit of " + perMinute + " requests per minute exceeded", Map.of("retry_after_seconds", retryAfter));
    }
}

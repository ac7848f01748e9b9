package io.rollcall.ingress.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.http.IngressSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code MAX_CONCURRENT_REQUESTS} (the requirements' "up to 10 simultaneous requests"): at most that many requests
 * with a photo are in flight in this ingress at once. Those are the requests that cost something, a photo held in
 * memory here and an inference on a worker: every {@code POST} under {@code /api/face/} (enroll and its alias,
 * recognize, recognize-group, verify, quality-check, and batch-enroll, whose whole batch takes one slot). Health,
 * list, delete, the documentation and the actuator carry no photo and are never held back, so probes and
 * administration keep answering under load.
 *
 * <p>A request that finds every slot taken waits, first come first served, for at most {@code QUEUE_TIMEOUT_MS}.
 * At most as many may wait as may run, so a burst cannot tie up the server's threads. A request still waiting at
 * the timeout, or arriving when the waiting line is full, gets 503 {@code SERVICE_UNAVAILABLE} with
 * {@code Retry-After}. Waiting happens before the body is read, so waiting requests hold no photo in memory.
 *
 * <p>A fair {@link Semaphore} rather than resilience4j's bulkhead: the bulkhead bounds how long a caller waits but
 * not how many wait, and would add a dependency for the same few lines. Ordered after the rate limit, the API key
 * check and the body limit, so requests those refuse never take a slot, and before the in-flight byte budget
 * ({@link InflightBudget}), so that only requests about to run reserve bytes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6)
public final class ConcurrencyLimit extends OncePerRequestFilter {
    private final int limit;
    private final Duration queueTimeout;
    /** Fair, so that waiting requests are served in the order they arrived and a newcomer never overtakes them. */
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter rejectedQueueFull;
    private final Counter rejectedQueueTimeout;

    public ConcurrencyLimit(IngressSettings settings, MeterRegistry meters) {
        this.limit = settings.maxConcurrentRequests();
        this.queueTimeout = settings.queueTimeout();
        this.slots = new Semaphore(limit, true);
        if (limit > 0) {
            // Without a limit nothing is counted, and a gauge stuck at 0 would read as an idle ingress.
            Gauge.builder("rollcall.http.concurrency.in_flight", this, ConcurrencyLimit::inFlight)
                    .description("Requests with a photo holding one of the MAX_CONCURRENT_REQUESTS slots").register(meters);
            Gauge.builder("rollcall.http.concurrency.queued", waiting, AtomicInteger::get)
                    .description("Requests with a photo waiting for a slot").register(meters);
        }
        this.rejectedQueueFull = rejected(meters, "queue_full");
        this.rejectedQueueTimeout = rejected(meters, "queue_timeout");
    }

    private static Counter rejected(MeterRegistry meters, String reason) {
        return Counter.builder("rollcall.http.concurrency.rejected").tag("reason", reason)
                .description("Requests refused with SERVICE_UNAVAILABLE because every slot stayed busy").register(meters);
    }

    private int inFlight() {
        return limit - slots.availablePermits();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return limit == 0 || !"POST".equals(request.getMethod()) || !ApiPaths.of(request).startsWith("/api/face/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Admission admission;
        try {
            admission = admit();
        } catch (InterruptedException e) {
            // Only a shutting-down server interrupts its request threads; the caller should retry elsewhere.
            Thread.currentThread().interrupt();
            admission = Admission.TIMED_OUT;
        }
        switch (admission) {
            case ADMITTED -> {
                // The controllers answer synchronously, so the chain returns once the answer is written; an endpoint
                // made asynchronous would have to keep its slot until the async answer completes.
                try {
                    chain.doFilter(request, response);
                } finally {
                    slots.release();
                }
            }
            case QUEUE_FULL -> {
                rejectedQueueFull.increment();
                refuse(request, response, "Every request slot (MAX_CONCURRENT_REQUESTS=" + limit
                        + ") is busy and the line of requests waiting for one is full");
            }
            case TIMED_OUT -> {
                rejectedQueueTimeout.increment();
                refuse(request, response, "No request slot (MAX_CONCURRENT_REQUESTS=" + limit + ") became free within "
                        + queueTimeout.toMillis() + " ms");
            }
        }
    }

    private enum Admission { ADMITTED, QUEUE_FULL, TIMED_OUT }

    private Admission admit() throws InterruptedException {
        // The timed form even for "no wait": unlike tryAcquire(), it respects the fairness of the queue.
        if (slots.tryAcquire(0, TimeUnit.NANOSECONDS)) {
            return Admission.ADMITTED;
        }
        if (waiting.getAndUpdate(w -> w < limit ? w + 1 : w) >= limit) {
            return Admission.QUEUE_FULL;
        }
        try {
            return slots.tryAcquire(queueTimeout.toNanos(), TimeUnit.NANOSECONDS) ? Admission.ADMITTED : Admission.TIMED_OUT;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * 503 with {@code Retry-After} of the queue timeout, at least a second: the service was saturated for that long
     * already, so retrying sooner would most likely meet the same full line.
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        long retryAfter = Math.max(1, (queueTimeout.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(retryAfter));
        ErrorResponses.write(request, response, ErrorCode.SERVICE_UNAVAILABLE, message, Map.of(
                "retry_after_seconds", retryAfter,
                "max_concurrent_requests", limit,
                "queue_timeout_ms", queueTimeout.toMillis()));
    }
}

package io.rollcall.ingress.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code MAX_INFLIGHT_REQUEST_BYTES}: the request body bytes all requests together may hold at once, so that no
 * mix of callers exhausts the heap: each endpoint's limit ({@link BodyLimits}) bounds one request, this bounds
 * their sum. A request reserves its declared {@code Content-Length} (a chunked body, whose size is unknown, its
 * endpoint's limit, which {@link BodyLimit} enforces) before its body is read, and returns it once answered.
 *
 * <p>A request whose bytes do not fit waits, first come first served, for at most {@code QUEUE_TIMEOUT_MS}; then
 * 503 {@code SERVICE_UNAVAILABLE} with {@code Retry-After}, as for the {@link ConcurrencyLimit}. First come first
 * served so that a large body waiting is not overtaken forever by small ones. A waiting request holds no body in
 * memory. No request can need more than the whole budget: every body limit is capped by it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 7)
public final class InflightBudget extends OncePerRequestFilter {
    private final long budget;
    private final BodyLimits limits;
    private final Duration queueTimeout;
    /** One permit per byte; fair, so that waiting requests are served in the order they arrived. */
    private final Semaphore bytes;
    private final Counter rejected;

    public InflightBudget(IngressSettings settings, MeterRegistry meters) {
        this.budget = settings.maxInflightRequestBytes();
        this.limits = settings.bodyLimits();
        this.queueTimeout = settings.queueTimeout();
        this.bytes = new Semaphore((int) budget, true);
        Gauge.builder("rollcall.http.inflight.request.bytes", this, InflightBudget::reservedBytes).baseUnit("bytes")
                .description("Request body bytes reserved by requests in flight, of MAX_INFLIGHT_REQUEST_BYTES").register(meters);
        this.rejected = Counter.builder("rollcall.http.inflight.rejected")
                .description("Requests refused with SERVICE_UNAVAILABLE because their body did not fit the in-flight budget in time")
                .register(meters);
    }

    /** Bytes reserved now; never more than the budget. */
    long reservedBytes() {
        return budget - bytes.availablePermits();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int reserve = (int) Math.min(reservation(request), budget);
        if (reserve == 0) {
            chain.doFilter(request, response);
            return;
        }
        boolean admitted;
        try {
            // The timed form even for "no wait": unlike tryAcquire(n), it respects the fairness of the queue.
            admitted = bytes.tryAcquire(reserve, queueTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // Only a shutting-down server interrupts its request threads; the caller should retry elsewhere.
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            rejected.increment();
            refuse(request, response, reserve);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            bytes.release(reserve);
        }
    }

    /** The body bytes a request may bring: its declared length, its endpoint's limit when chunked, else none. */
    private long reservation(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared >= 0) {
            return declared;
        }
        return request.getHeader("Transfer-Encoding") != null ? limits.of(request.getMethod(), ApiPaths.of(request)) : 0;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, long reserve) throws IOException {
        long retryAfter = Math.max(1, (queueTimeout.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(retryAfter));
        ErrorResponses.write(request, response, ErrorCode.SERVICE_UNAVAILABLE,
                "The request bodies in flight (MAX_INFLIGHT_REQUEST_BYTES=" + budget + ") left no room for this one's "
                        + reserve + " bytes within " + queueTimeout.toMillis() + " ms",
                Map.of("retry_after_seconds", retryAfter, "bytes", reserve, "max_inflight_request_bytes", budget,
                        "queue_timeout_ms", queueTimeout.toMillis()));
    }
}

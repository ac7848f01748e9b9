package io.rollcall.ingress.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} accepted requests per client in any window of {@code window}, exactly: each client has a
 * log of the times of its accepted requests (a ring buffer of at most {@code limit} entries), and a request is
 * accepted only when fewer than {@code limit} of them lie within the window before it. A token bucket cannot
 * promise this: it refills while the window still holds the burst, so a burst and its refill exceed the limit.
 *
 * <p>Memory is bounded: the {@code maxClients} most recently seen clients are tracked, and a client's log grows
 * only as far as it is used. Beyond that the least recently seen client is forgotten; it had been quiet longest, so
 * only a client that {@code maxClients} others called after could regain part of its budget early.
 */
final class SlidingWindowLimiter {
    /** The outcome of one request. @param retryAfterSeconds when refused: until the oldest accepted request leaves the window */
    record Decision(boolean allowed, int remaining, long retryAfterSeconds) {
    }

    private final int limit;
    private final long windowMillis;
    private final LongSupplier clockMillis;
    private final Map<String, Log> clients;

    /**
     * @param clockMillis a monotonic clock in milliseconds (wall-clock time may step back and would reorder a log)
     */
    SlidingWindowLimiter(int limit, Duration window, int maxClients, LongSupplier clockMillis) {
        if (limit < 1 || maxClients < 1 || window.toMillis() < 1) {
            throw new IllegalArgumentException("limit, window and maxClients must be positive");
        }
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clockMillis = clockMillis;
        this.clients = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Log> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** The monotonic clock of production. */
    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Counts a request of {@code client} when the window has room for it. */
    synchronized Decision acquire(String client) {
        long now = clockMillis.getAsLong();
        Log log = clients.computeIfAbsent(client, c -> new Log(Math.min(limit, 4)));
        log.dropUpTo(now - windowMillis);
        if (log.size < limit) {
            log.append(now);
            return new Decision(true, limit - log.size, 0);
        }
        long waitMillis = log.oldest() + windowMillis - now;
        return new Decision(false, 0, Math.max(1, Math.ceilDiv(waitMillis, 1000)));
    }

    /** One client's accepted request times, oldest first, in a ring buffer that doubles up to {@code limit}. */
    private final class Log {
        private long[] times;
        private int head;
        private int size;

        Log(int capacity) {
            times = new long[capacity];
        }

        /** Forgets the requests at or before {@code cutoff}: they have left the window. */
        void dropUpTo(long cutoff) {
            while (size > 0 && times[head] <= cutoff) {
                head = (head + 1) % times.length;
                size--;
            }
        }

        long oldest() {
            return times[head];
        }

        void append(long time) {
            if (size == times.length) {
                long[] grown = new long[Math.min(limit, times.length * 2)];
                for (int i = 0; i < size; i++) {
                    grown[i] = times[(head + i) % times.length];
                }
                times = grown;
                head = 0;
            }
            times[(head + size) % times.length] = time;
            size++;
        }
    }
}

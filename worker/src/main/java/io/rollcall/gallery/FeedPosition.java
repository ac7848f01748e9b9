package io.rollcall.gallery;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How far one gallery has applied the {@link GalleryFeed}, and the waits read-your-writes is built on
 * ({@link GallerySync#startCatchUp}): a request waits until every event published before it is applied here, or
 * fails with {@code REQUEST_TIMEOUT} / {@code SERVICE_UNAVAILABLE} rather than answer from an older gallery.
 */
final class FeedPosition {
    private final Object lock = new Object();
    private volatile long next;
    private volatile RuntimeException failure;

    /** @param start the position of the first event this gallery will apply */
    FeedPosition(long start) {
        this.next = start;
    }

    /** The event at {@code position}, and everything before it, is applied. */
    void passed(long position) {
        synchronized (lock) {
            next = position + 1;
            lock.notifyAll();
        }
    }

    /** The feed stopped: every wait fails from now on. */
    void stopped(RuntimeException why) {
        failure = why;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Waits for the feed's end as asked at {@code end}, then until everything before it is applied. */
    void awaitEnd(CompletableFuture<Long> end, Duration timeout) {
        long position;
        try {
            position = end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "interrupted while reading the gallery version");
        } catch (ExecutionException | TimeoutException e) {
            throw new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "cannot read the gallery version", Map.of(), e);
        }
        await(position, timeout);
    }

    /** Waits until the event at {@code position - 1} and everything before it is applied. */
    void await(long position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (next < position) {
                if (failure != null) {
                    throw new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "gallery sync has stopped: " + failure.getMessage());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "the gallery did not catch up with recent enrollments in time");
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "interrupted while the gallery caught up");
                }
            }
        }
    }

    /** Position of the last event applied; -1 before any. */
    long version() {
        return next - 1;
    }

    /** Whether the feed is still followed. */
    boolean healthy() {
        return failure == null;
    }
}

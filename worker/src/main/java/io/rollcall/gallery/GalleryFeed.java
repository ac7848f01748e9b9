package io.rollcall.gallery;

import java.util.concurrent.CompletableFuture;

/**
 * The shared, totally ordered log of {@link GalleryEvent}s that keeps every worker's gallery equal to the database
 * (Kafka's single-partition gallery-changes topic, in production). An event's position in the log is the gallery
 * version that includes it.
 */
public interface GalleryFeed extends AutoCloseable {

    /** Where the log ends now: the position the next event will take. */
    long end();

    /**
     * Delivers every event from {@code position} on to {@code listener}, in order, on a thread of the feed's own,
     * until {@link #close()}. A failure that stops the delivery goes to {@code listener.stopped} once.
     */
    void follow(long position, Listener listener);

    /**
     * Appends an event, durably, and returns its position.
     *
     * @throws io.rollcall.error.RollcallException {@code SERVICE_UNAVAILABLE} when the log cannot take it
     */
    long publish(GalleryEvent event);

    /**
     * Appends a step of a model-pack change, durably, in the same order as the gallery events, and returns its position.
     *
     * @throws io.rollcall.error.RollcallException {@code SERVICE_UNAVAILABLE} when the log cannot take it
     */
    long publish(PackEvent event);

    /** Asks where the log ends now; completes with that position, or exceptionally when the log cannot be asked. */
    CompletableFuture<Long> endLater();

    @Override
    void close();

    /** Receives the events a {@link #follow} delivers. */
    interface Listener {
        void applied(GalleryEvent event, long position);

        void stopped(RuntimeException failure);

        /** A step of a pack change, at its place in the log; a gallery follower only notes that it has passed it. */
        void packChanged(PackEvent event, long position);
    }
}

package io.rollcall.gallery;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link GalleryFeed} that reaches no one but its own follower: for a process that runs a use case against the
 * database without a broker, such as {@code ./rollcall migrate --local}.
 *
 * <p>Honest about what it is: positions are this process's own count of the events it published, starting at 0,
 * and nothing leaves the process. The process's own gallery follows its changes at once; every running worker
 * learns of them only through its periodic comparison of its gallery with the database
 * ({@code GALLERY_RECONCILE_SECONDS}), or at its next start. Nothing arrives from other processes either.
 */
public final class LocalGalleryFeed implements GalleryFeed {
    private long end;
    private Listener listener;

    @Override
    public synchronized long end() {
        return end;
    }

    /** Nothing but this process publishes here, so only events published from now on are delivered. */
    @Override
    public synchronized void follow(long position, Listener listener) {
        this.listener = listener;
    }

    /**
     * Takes the next position and delivers the event to the follower on the calling thread, so that a read-your-writes
     * wait ({@link GallerySync#awaitApplied}) for it returns at once.
     */
    @Override
    public synchronized long publish(GalleryEvent event) {
        long position = end++;
        if (listener != null) {
            listener.applied(event, position);
        }
        return position;
    }

    @Override
    public synchronized long publish(PackEvent event) {
        long position = end++;
        if (listener != null) {
            listener.packChanged(event, position);
        }
        return position;
    }

    @Override
    public synchronized CompletableFuture<Long> endLater() {
        return CompletableFuture.completedFuture(end);
    }

    @Override
    public synchronized void close() {
        listener = null;
    }
}

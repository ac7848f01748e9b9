package io.rollcall.gallery;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Whether a gallery of a given size fits in this JVM's heap, checked before loading it: a worker that cannot hold
 * its gallery refuses to start with the heap it needs, instead of dying half-way with {@code OutOfMemoryError}.
 */
public final class GalleryCapacity {
    /** Heap kept free for serving beside the gallery: photos in flight, decoded images, Kafka buffers. */
    static final long SERVING_RESERVE_BYTES = 128L << 20;

    /** A display name per row at most: the string and its map entry. */
    private static final long NAME_BYTES_ESTIMATE = 100;

    private GalleryCapacity() {
    }

    /** Heap that {@code rows} rows of {@code dimension} values take, names included. */
    static long bytesFor(long rows, int dimension) {
        return rows * (GalleryIndex.bytesPerRow(dimension) + NAME_BYTES_ESTIMATE);
    }

    /**
     * Heap free for the gallery now: the maximum less what is in use, less the reserve.
     *
     * @param collect whether to collect garbage first, so that "in use" is live data only (costs a full collection)
     */
    static long freeBytes(boolean collect) {
        var memory = ManagementFactory.getMemoryMXBean();
        if (collect) {
            memory.gc();
        }
        long used = memory.getHeapMemoryUsage().getUsed();
        return Runtime.getRuntime().maxMemory() - used - SERVING_RESERVE_BYTES;
    }

    /**
     * @throws GalleryTooLargeException naming the heap needed when {@code rows} do not fit in {@code free} bytes
     */
    static void require(String modelPack, long rows, int dimension, long free) {
        long needed = bytesFor(rows, dimension);
        if (needed <= free) {
            return;
        }
        long max = Runtime.getRuntime().maxMemory();
        long suggested = ((max - free + needed) + (64L << 20) - 1) / (64L << 20) * 64;
        throw new GalleryTooLargeException(String.format(Locale.ROOT,
                "The gallery of pack %s holds %,d samples and needs about %,d MiB of heap, but only %,d MiB of this "
                        + "worker's %,d MiB heap are free for it (%d MiB kept for requests). Start the worker with "
                        + "-Xmx%dm or more (ROLLCALL_JAVA_OPTS), or spread the gallery over workers (docs/scaling.md).",
                modelPack, rows, needed >> 20, Math.max(0, free) >> 20, max >> 20, SERVING_RESERVE_BYTES >> 20, suggested));
    }

    /** A worker whose gallery does not fit in its heap; the message says how much it needs. */
    public static final class GalleryTooLargeException extends IllegalStateException {
        GalleryTooLargeException(String message) {
            super(message);
        }
    }
}

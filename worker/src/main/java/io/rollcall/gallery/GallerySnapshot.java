package io.rollcall.gallery;

import io.rollcall.storage.GalleryRepository;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A binary copy of one pack's gallery on disk ({@code gallery-<pack>.snapshot} in {@code GALLERY_DIR}), so that a
 * restart reads the 8-bit codes and exact rows back in seconds instead of parsing every descriptor's JSON.
 *
 * <p>The database stays the truth: a snapshot is only a faster start. {@link #restore} uses it when its pack and
 * dimension match and {@value #PROBES} of its rows, spread over all of them, are in the database with the very same
 * vectors where they are still there, and most still are (which catches another database, a re-embedding to
 * another pack, or a file from long ago);
 * otherwise the worker loads from the database as before. Rows added, deleted or moved to another person since the
 * snapshot was written are then found by a reconciliation of every id range ({@link GalleryReconciler}) before the
 * worker serves. Written after a full load and at shutdown, to a temporary file renamed over the old one, so a
 * crash never leaves half a snapshot under the name.
 */
public final class GallerySnapshot {
    private static final Logger log = LoggerFactory.getLogger(GallerySnapshot.class);

    /** Rows compared with the database before a snapshot is used: a few milliseconds of primary-key reads. */
    static final int PROBES = 256;

    private static final byte[] MAGIC = "ROLLCALL-GALLERY\n".getBytes(StandardCharsets.US_ASCII);

    private final Path file;

    public GallerySnapshot(Path directory, String modelPack) {
        this.file = directory.resolve("gallery-" + modelPack + ".snapshot");
    }

    public Path file() {
        return file;
    }

    /**
     * Writes {@code gallery} to the snapshot file. A failure (a full disk) is logged and leaves the previous file;
     * the next start then loads from the database.
     */
    public void write(Gallery gallery) {
        long start = System.nanoTime();
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(header(gallery.modelPack())));
                gallery.index().writeSnapshot(out);
                out.force(false);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("Gallery snapshot written: {} samples of pack {} in {} ms ({} MiB)", gallery.size(), gallery.modelPack(),
                    (System.nanoTime() - start) / 1_000_000, Files.size(file) >> 20);
        } catch (IOException | RuntimeException e) {
            log.warn("Gallery snapshot not written ({}): the next start loads from the database", e.toString());
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // Nothing more to do: the temporary name is never read.
            }
        }
    }

    /**
     * Fills the empty {@code gallery} from the snapshot when there is one and it agrees with the database; names
     * are left to the reconciliation that follows.
     *
     * @return whether the gallery now holds the snapshot; false leaves it empty
     */
    public boolean restore(Gallery gallery, GalleryRepository repository) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        long start = System.nanoTime();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] expected = header(gallery.modelPack());
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(expected.length);
            while (head.hasRemaining() && in.read(head) >= 0) {
                // reads the header
            }
            if (!Arrays.equals(head.array(), expected)) {
                log.info("Gallery snapshot {} is of another pack or format; loading from the database", file);
                return false;
            }
            gallery.index().readSnapshot(in);
        } catch (IOException | RuntimeException e) {
            gallery.clear();
            log.warn("Gallery snapshot {} not usable ({}); loading from the database", file, e.toString());
            return false;
        } catch (OutOfMemoryError e) {
            // The full load that follows checks the heap first and refuses to start, naming the heap it needs.
            gallery.clear();
            log.warn("Gallery snapshot {} does not fit in this worker's heap", file);
            return false;
        }
        String mismatch = mismatch(gallery, repository);
        if (mismatch != null) {
            gallery.clear();
            log.info("Gallery snapshot {} does not match the database ({}); loading from the database", file, mismatch);
            return false;
        }
        log.info("Gallery restored from its snapshot: {} samples of pack {} in {} ms", gallery.size(), gallery.modelPack(),
                (System.nanoTime() - start) / 1_000_000);
        return true;
    }

    /**
     * Why the snapshot's rows disagree with the database, or null when they agree: every probe still stored holds the
     * very same vector, and at least half of them are still stored. Rows deleted while the worker was down are
     * normal (the reconciliation removes them); most rows gone means another database or a re-embedding.
     */
    private static String mismatch(Gallery gallery, GalleryRepository repository) {
        GalleryIndex index = gallery.index();
        long[] probes = index.spreadSampleIds(PROBES);
        Map<Long, float[]> stored = repository.embeddingsOf(gallery.modelPack(), gallery.dimension(), probes);
        for (long id : probes) {
            float[] now = stored.get(id);
            if (now != null && !Arrays.equals(index.unitLength(now), index.exactRow(id))) {
                return "sample " + id + " has another vector now";
            }
        }
        if (stored.size() * 2 < probes.length) {
            return stored.size() + " of " + probes.length + " probed samples are still " + gallery.modelPack() + " samples";
        }
        return null;
    }

    private static byte[] header(String modelPack) {
        byte[] pack = (modelPack + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] header = Arrays.copyOf(MAGIC, MAGIC.length + pack.length);
        System.arraycopy(pack, 0, header, MAGIC.length, pack.length);
        return header;
    }
}

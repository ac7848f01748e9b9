package io.rollcall.gallery;

import io.rollcall.storage.DatabasePrint;
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
 * otherwise the worker loads from the database as before. The snapshot also keeps the {@link DatabasePrint} the
 * gallery was last known equal to (at the load or the last reconciliation); rows added, deleted or moved to another
 * person since then change their buckets' numbers, and only those buckets are compared with the database
 * ({@link GalleryReconciler}) before the worker serves. Written after a full load, after a start's catch-up that
 * changed samples and at shutdown, to a temporary file renamed over the old one, so a crash never leaves half a
 * snapshot under the name.
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
     * the next start then loads from the database. One write at a time: the one after a start's catch-up may still
     * run when the worker stops and writes again, and both use the same temporary file.
     */
    public synchronized void write(Gallery gallery, DatabasePrint equalTo) {
        long start = System.nanoTime();
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(header(gallery.modelPack())));
                out.write(java.nio.ByteBuffer.wrap(printBytes(equalTo)));
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
     * @return the print the restored gallery was equal to; empty, with the gallery empty, when the snapshot was not used
     */
    public java.util.Optional<DatabasePrint> restore(Gallery gallery, GalleryRepository repository) {
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        DatabasePrint print;
        long start = System.nanoTime();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] expected = header(gallery.modelPack());
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(expected.length);
            while (head.hasRemaining() && in.read(head) >= 0) {
                // reads the header
            }
            if (!Arrays.equals(head.array(), expected)) {
                log.info("Gallery snapshot {} is of another pack or format; loading from the database", file);
                return java.util.Optional.empty();
            }
            print = readPrint(in);
            gallery.index().readSnapshot(in);
        } catch (IOException | RuntimeException e) {
            gallery.clear();
            log.warn("Gallery snapshot {} not usable ({}); loading from the database", file, e.toString());
            return java.util.Optional.empty();
        } catch (OutOfMemoryError e) {
            // The full load that follows checks the heap first and refuses to start, naming the heap it needs.
            gallery.clear();
            log.warn("Gallery snapshot {} does not fit in this worker's heap", file);
            return java.util.Optional.empty();
        }
        String mismatch = mismatch(gallery, repository);
        if (mismatch != null) {
            gallery.clear();
            log.info("Gallery snapshot {} does not match the database ({}); loading from the database", file, mismatch);
            return java.util.Optional.empty();
        }
        log.info("Gallery restored from its snapshot: {} samples of pack {} in {} ms", gallery.size(), gallery.modelPack(),
                (System.nanoTime() - start) / 1_000_000);
        return java.util.Optional.of(print);
    }

    /**
     * The print as a length-prefixed block: bucket count, then bucket, rows, id sum, hash sum each; the people's; a
     * CRC32C of it all (a damaged print could hide a changed bucket from the reconciliation).
     */
    private static byte[] printBytes(DatabasePrint print) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(
                Integer.BYTES * 2 + (print.buckets().size() + 1) * 4 * Long.BYTES + Long.BYTES);
        out.putInt(out.capacity() - Integer.BYTES).putInt(print.buckets().size());
        print.buckets().forEach((bucket, n) -> out.putLong(bucket).putLong(n.rows()).putLong(n.idSum()).putLong(n.hashSum()));
        out.putLong(0).putLong(print.people().rows()).putLong(print.people().idSum()).putLong(print.people().hashSum());
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        return out.array();
    }

    private static DatabasePrint readPrint(FileChannel in) throws IOException {
        java.nio.ByteBuffer length = java.nio.ByteBuffer.allocate(Integer.BYTES);
        readFully(in, length);
        int bytes = length.flip().getInt();
        if (bytes < Integer.BYTES || bytes > (64 << 20)) {
            throw new IOException("snapshot print of " + bytes + " bytes");
        }
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(bytes);
        readFully(in, data);
        data.flip();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(length.array());
        crc.update(data.array(), 0, bytes - Long.BYTES);
        if (data.getLong(bytes - Long.BYTES) != crc.getValue()) {
            throw new IOException("snapshot print checksum does not match");
        }
        int buckets = data.getInt();
        Map<Long, DatabasePrint.Numbers> numbers = new java.util.HashMap<>();
        for (int i = 0; i < buckets; i++) {
            numbers.put(data.getLong(), new DatabasePrint.Numbers(data.getLong(), data.getLong(), data.getLong()));
        }
        data.getLong();
        return new DatabasePrint(numbers, new DatabasePrint.Numbers(data.getLong(), data.getLong(), data.getLong()));
    }

    private static void readFully(FileChannel in, java.nio.ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw new java.io.EOFException("the snapshot is cut short");
            }
        }
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

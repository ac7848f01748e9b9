package io.rollcall.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The gallery's exact rows: every unit-length float32 vector, row {@code r} at byte {@code r × dimension × 4} of a
 * private file, read back only for the few candidates the 8-bit scan picks ({@link GalleryIndex}). Positional reads
 * and writes ({@code pread}/{@code pwrite}), not a memory mapping: the rows sit in the kernel's page cache, which
 * the kernel may drop under memory pressure, and never count in the worker's heap or resident set (a mapping's
 * touched pages would, and the scan touches random ones). A million 512-d rows are 2 GiB of disk.
 *
 * <p>The file is unlinked as soon as it is open, so it vanishes with the process however that ends; where the
 * file system refuses that, {@code DELETE_ON_CLOSE} removes it at exit. Not thread-safe for writes: the index writes
 * under its write lock; positional reads from many searching threads at once are safe.
 */
final class ExactRowFile implements AutoCloseable {
    private final FileChannel channel;
    private final int rowBytes;
    private final ByteBuffer writeBuffer;

    ExactRowFile(Path directory, int dimension) {
        this.rowBytes = dimension * Float.BYTES;
        this.writeBuffer = ByteBuffer.allocateDirect(rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            Files.createDirectories(directory);
            Path file = Files.createTempFile(directory, "gallery-", ".f32");
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            try {
                Files.deleteIfExists(file);
            } catch (IOException refused) {
                // Some file systems keep an open file; DELETE_ON_CLOSE then removes it when the channel closes.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the gallery's row file in " + directory, e);
        }
    }

    /** Writes {@code unit} as row {@code row}. */
    void write(int row, float[] unit) {
        writeBuffer.clear();
        writeBuffer.asFloatBuffer().put(unit);
        writeBuffer.limit(rowBytes);
        writeFully(writeBuffer, (long) row * rowBytes);
    }

    /** Reads row {@code row} into {@code out}; {@code buffer} is the caller's, of at least one row's bytes. */
    void read(int row, float[] out, ByteBuffer buffer) {
        buffer.clear().limit(rowBytes);
        long position = (long) row * rowBytes;
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException("row " + row + " lies past the end of the gallery's row file");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gallery's row file", e);
        }
        buffer.flip();
        buffer.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    }

    /** A buffer for {@link #read}; one per reading thread at a time. */
    ByteBuffer newReadBuffer() {
        return ByteBuffer.allocateDirect(rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies row {@code from} over row {@code to} (the index's swap-remove). */
    void move(int from, int to) {
        writeBuffer.clear().limit(rowBytes);
        try {
            long position = (long) from * rowBytes;
            while (writeBuffer.hasRemaining()) {
                if (channel.read(writeBuffer, position + writeBuffer.position()) < 0) {
                    throw new IOException("row " + from + " lies past the end of the gallery's row file");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gallery's row file", e);
        }
        writeBuffer.flip();
        writeFully(writeBuffer, (long) to * rowBytes);
    }

    /** Drops rows from {@code rows} on, returning their disk space. */
    void truncate(int rows) {
        try {
            channel.truncate((long) rows * rowBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot shrink the gallery's row file", e);
        }
    }

    /** Copies the first {@code rows} rows to {@code target} at its current position (a snapshot being written). */
    void copyTo(FileChannel target, int rows) throws IOException {
        long length = (long) rows * rowBytes;
        for (long done = 0; done < length; ) {
            done += channel.transferTo(done, length - done, target);
        }
    }

    /** Replaces the first {@code rows} rows with {@code rows} rows read from {@code source} at {@code position}. */
    void copyFrom(FileChannel source, long position, int rows) throws IOException {
        long length = (long) rows * rowBytes;
        channel.truncate(0);
        source.position(position); // transferFrom reads from here and advances it
        for (long done = 0; done < length; ) {
            long n = channel.transferFrom(source, done, length - done);
            if (n <= 0) {
                throw new IOException("the snapshot ends before its rows do");
            }
            done += n;
        }
    }

    /** Bytes the file holds on disk (and at most in the page cache). */
    long bytes() {
        try {
            return channel.size();
        } catch (IOException e) {
            return 0;
        }
    }

    private void writeFully(ByteBuffer buffer, long position) {
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer, position + buffer.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gallery's row file", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.rollcall.gallery;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.Checksum;

/**
 * Buffered little-endian reading and writing of a gallery snapshot's header, rows and codes on a file channel,
 * every byte also fed to a checksum. Large arrays (the 8-bit codes) go through the 1 MiB buffer in pieces, so a
 * snapshot of any size needs no copy of the gallery in memory.
 */
final class SnapshotChannel {
    private static final int BUFFER_BYTES = 1 << 20;

    private SnapshotChannel() {
    }

    /** Writes through a buffer; {@link #flush} before using the channel directly. */
    static final class Out {
        private final FileChannel channel;
        private final Checksum checksum;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);

        Out(FileChannel channel, Checksum checksum) {
            this.channel = channel;
            this.checksum = checksum;
        }

        Out putInt(int value) {
            room(Integer.BYTES).putInt(value);
            return this;
        }

        Out putLong(long value) {
            room(Long.BYTES).putLong(value);
            return this;
        }

        Out putFloat(float value) {
            room(Float.BYTES).putFloat(value);
            return this;
        }

        Out putByte(byte value) {
            room(1).put(value);
            return this;
        }

        Out putBytes(byte[] bytes, int offset, int length) {
            for (int done = 0; done < length; ) {
                int n = Math.min(length - done, BUFFER_BYTES);
                room(n).put(bytes, offset + done, n);
                done += n;
            }
            return this;
        }

        /** Writes what is buffered (feeding it to the checksum first). */
        void flush() throws IOException {
            buffer.flip();
            checksum.update(buffer.duplicate());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        /** As {@link #flush}, for the last word, which is the checksum itself: written, never fed to it. */
        void flushUnchecked() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        private ByteBuffer room(int bytes) {
            if (buffer.remaining() < bytes) {
                try {
                    flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return buffer;
        }
    }

    /** Reads through a buffer; {@link #position} is where the next unread byte lies in the file. */
    static final class In {
        private final FileChannel channel;
        private final Checksum checksum;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private boolean checking = true;

        In(FileChannel channel, Checksum checksum) {
            this.channel = channel;
            this.checksum = checksum;
            buffer.limit(0);
        }

        int getInt() throws IOException {
            return need(Integer.BYTES).getInt();
        }

        long getLong() throws IOException {
            // The checksum word is the only long read after the checked part; it is not fed to the checksum.
            return need(Long.BYTES).getLong();
        }

        float getFloat() throws IOException {
            return need(Float.BYTES).getFloat();
        }

        byte getByte() throws IOException {
            return need(1).get();
        }

        void getBytes(byte[] bytes, int offset, int length) throws IOException {
            for (int done = 0; done < length; ) {
                int n = Math.min(length - done, BUFFER_BYTES);
                need(n).get(bytes, offset + done, n);
                done += n;
            }
        }

        /** The file position of the next unread byte. */
        long position() throws IOException {
            return channel.position() - buffer.remaining();
        }

        /** Makes {@code bytes} readable, feeding every byte read from the file to the checksum as it is consumed. */
        private ByteBuffer need(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                buffer.compact();
                while (buffer.position() < bytes) {
                    if (channel.read(buffer) < 0) {
                        throw new EOFException("the snapshot is cut short");
                    }
                }
                buffer.flip();
            }
            ByteBuffer view = buffer.duplicate();
            view.limit(view.position() + bytes);
            if (checking) {
                checksum.update(view);
            }
            return buffer;
        }

        /** Stops feeding the checksum: the next read is the checksum word. */
        void endChecked() {
            checking = false;
        }
    }
}

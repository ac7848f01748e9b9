package io.rollcall.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a stream into a backup file: the {@link SealedHeader}, then chunks of at most {@code chunkSize} plaintext
 * bytes, each written as a 4-byte ciphertext length and the AES-256-GCM ciphertext with its 16-byte tag.
 *
 * <p>This is the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015, as in Tink's streaming AEAD and
 * age): chunk {@code i}'s 12-byte nonce is the file's 7-byte random prefix, {@code i} as 4 bytes and a last-chunk
 * flag, and every chunk authenticates the header as associated data. So a chunk moved, dropped, duplicated or taken
 * from another file fails its tag, and a file cut at a chunk boundary lacks the one chunk flagged last. The key is
 * derived per file from a fresh salt, so a nonce never repeats under a key.
 */
final class SealedOutputStream extends OutputStream {
    static final int TAG_BYTES = 16;

    private final OutputStream out;
    private final SealedHeader header;
    private final byte[] headerBytes;
    private final SecretKeySpec key;
    private final byte[] buffer;
    private int buffered;
    private int chunkIndex;
    private boolean closed;

    SealedOutputStream(OutputStream out, BackupKey passphrase) throws IOException {
        this(out, passphrase, SealedHeader.DEFAULT_ITERATIONS, SealedHeader.DEFAULT_CHUNK_SIZE);
    }

    /** With other iterations or chunk size: for tests, which would otherwise spend seconds deriving keys. */
    SealedOutputStream(OutputStream out, BackupKey passphrase, int iterations, int chunkSize) throws IOException {
        this.out = out;
        BackupKey.DerivedKeys[] keys = new BackupKey.DerivedKeys[1];
        this.header = SealedHeader.create(passphrase, iterations, chunkSize, new SecureRandom(), k -> keys[0] = k);
        this.key = new SecretKeySpec(keys[0].cipher(), "AES");
        this.headerBytes = header.bytes();
        this.buffer = new byte[chunkSize];
        out.write(headerBytes);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (len > 0) {
            if (buffered == buffer.length) {
                // Only now is it known that the full chunk is not the last one.
                writeChunk(false);
            }
            int n = Math.min(len, buffer.length - buffered);
            System.arraycopy(b, off, buffer, buffered, n);
            buffered += n;
            off += n;
            len -= n;
        }
    }

    /** Writes the last chunk (possibly empty) and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writeChunk(true);
            out.flush();
        } finally {
            out.close();
        }
    }

    /**
     * Closes the file without its last chunk, for a backup that failed half-way: what was written can never pass
     * for a complete backup (a reader reports it as truncated).
     */
    void abandon() throws IOException {
        closed = true;
        out.close();
    }

    private void writeChunk(boolean last) throws IOException {
        if (chunkIndex < 0) {
            throw new IOException("a backup holds at most 2^31 chunks"); // the index must never wrap: nonce reuse
        }
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(header.noncePrefix(), chunkIndex, last)));
            cipher.updateAAD(headerBytes);
            sealed = cipher.doFinal(buffer, 0, buffered);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is part of every JDK", e);
        }
        out.write(ByteBuffer.allocate(4).putInt(sealed.length).array());
        out.write(sealed);
        buffered = 0;
        chunkIndex++;
    }

    static byte[] nonce(byte[] prefix, int chunkIndex, boolean last) {
        return ByteBuffer.allocate(12).put(prefix).putInt(chunkIndex).put((byte) (last ? 1 : 0)).array();
    }
}

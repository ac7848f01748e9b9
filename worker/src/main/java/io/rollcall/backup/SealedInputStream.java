package io.rollcall.backup;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.GeneralSecurityException;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts what {@link SealedOutputStream} wrote, handing out only plaintext whose chunk has been authenticated.
 * Every failure is a {@link RollcallException} with a stable code: BACKUP_KEY_WRONG (from the header's key check),
 * BACKUP_TRUNCATED (the file ends inside a chunk, or after a chunk that is not flagged last), BACKUP_CORRUPT (a
 * chunk's tag fails: altered, reordered, or bytes after the last chunk).
 */
final class SealedInputStream extends InputStream {
    private final PushbackInputStream in;
    private final SealedHeader header;
    private final byte[] headerBytes;
    private final SecretKeySpec key;
    private byte[] plain = new byte[0];
    private int position;
    private int chunkIndex;
    private boolean sawLast;

    SealedInputStream(InputStream file, BackupKey passphrase) {
        this.in = new PushbackInputStream(file, 1);
        SealedHeader.Opened opened = SealedHeader.read(in, passphrase);
        this.header = opened.header();
        this.headerBytes = header.bytes();
        this.key = new SecretKeySpec(opened.keys().cipher(), "AES");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position == plain.length) {
            if (sawLast) {
                return -1;
            }
            nextChunk();
        }
        int n = Math.min(len, plain.length - position);
        System.arraycopy(plain, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void nextChunk() throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length;
        byte[] sealed;
        try {
            length = data.readInt();
            if (length < SealedOutputStream.TAG_BYTES || length > header.chunkSize() + SealedOutputStream.TAG_BYTES) {
                throw failure(ErrorCode.BACKUP_CORRUPT, "a chunk's length field is impossible", "length");
            }
            sealed = new byte[length];
            data.readFully(sealed);
        } catch (EOFException e) {
            throw failure(ErrorCode.BACKUP_TRUNCATED, "the file ends inside chunk " + chunkIndex, "inside_chunk");
        }
        int next = in.read();
        boolean atEnd = next < 0;
        if (!atEnd) {
            in.unread(next);
        }
        byte[] opened = open(sealed, atEnd);
        if (opened == null) {
            // Tell the two ways a tag can fail apart by trying the other flag.
            if (open(sealed, !atEnd) == null) {
                throw failure(ErrorCode.BACKUP_CORRUPT, "chunk " + chunkIndex + " fails authentication: the file was altered",
                        "altered");
            }
            throw atEnd
                    ? failure(ErrorCode.BACKUP_TRUNCATED, "the file ends after chunk " + chunkIndex + ", which is not the last",
                            "missing_chunks")
                    : failure(ErrorCode.BACKUP_CORRUPT, "bytes follow the last chunk", "trailing_bytes");
        }
        plain = opened;
        position = 0;
        sawLast = atEnd;
        chunkIndex++;
    }

    /** The plaintext, or null when the tag does not verify with this nonce. */
    private byte[] open(byte[] sealed, boolean last) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(SealedOutputStream.TAG_BYTES * 8,
                    SealedOutputStream.nonce(header.noncePrefix(), chunkIndex, last)));
            cipher.updateAAD(headerBytes);
            return cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is part of every JDK", e);
        }
    }

    private RollcallException failure(ErrorCode code, String what, String reason) {
        String message = code == ErrorCode.BACKUP_TRUNCATED
                ? "The backup is truncated: " + what + "; nothing is restored from it"
                : "The backup is damaged: " + what + "; nothing is restored from it";
        return new RollcallException(code, message, Map.of("reason", reason, "chunk", chunkIndex));
    }
}

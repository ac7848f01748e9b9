package io.rollcall.backup;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The only plaintext of a backup file: what a reader needs to derive the keys, and a key check. 76 bytes, big-endian:
 *
 * <pre>
 *  0  8  magic "RCBACKUP"
 *  8  2  container version (1)
 * 10  1  key derivation: 1 = PBKDF2-HMAC-SHA256
 * 11  1  cipher: 1 = AES-256-GCM in chunks (see SealedOutputStream)
 * 12  4  PBKDF2 iterations
 * 16 16  salt (random per file)
 * 32  7  nonce prefix (random per file)
 * 39  1  reserved, 0
 * 40  4  plaintext bytes per chunk
 * 44 32  key check: HMAC-SHA256 of bytes 0..43 under the derived check key (BackupKey#derive)
 * </pre>
 *
 * The whole header is also the associated data of every chunk, so changing any byte of it fails every chunk. The key
 * check tells a wrong passphrase (BACKUP_KEY_WRONG) from altered contents (BACKUP_CORRUPT) before anything is
 * decrypted; it lets nobody test a passphrase faster than decrypting the first chunk would.
 */
record SealedHeader(int iterations, byte[] salt, byte[] noncePrefix, int chunkSize, byte[] keyCheck) {
    static final byte[] MAGIC = "RCBACKUP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int LENGTH = 76;
    static final int SALT_BYTES = 16;
    static final int NONCE_PREFIX_BYTES = 7;
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256: about half a second per file on a 2-core server. */
    static final int DEFAULT_ITERATIONS = 600_000;
    /** A mebibyte per chunk: memory stays bounded, and the 16-byte tag per chunk costs 0.002 %. */
    static final int DEFAULT_CHUNK_SIZE = 1 << 20;
    static final int MAX_CHUNK_SIZE = 16 << 20;
    private static final int KDF_PBKDF2_SHA256 = 1;
    private static final int CIPHER_AES256_GCM_CHUNKED = 1;
    private static final int SIGNED_LENGTH = 44;

    /** A new file's header: fresh salt and nonce prefix, the key check computed from {@code keys}. */
    static SealedHeader create(BackupKey key, int iterations, int chunkSize, SecureRandom random, KeysOut keysOut) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] prefix = new byte[NONCE_PREFIX_BYTES];
        random.nextBytes(salt);
        random.nextBytes(prefix);
        BackupKey.DerivedKeys keys = key.derive(salt, iterations);
        keysOut.accept(keys);
        SealedHeader unsigned = new SealedHeader(iterations, salt, prefix, chunkSize, new byte[32]);
        return new SealedHeader(iterations, salt, prefix, chunkSize, hmac(keys.check(), unsigned.signedBytes()));
    }

    /** Receives the keys {@link #create} derived, so they are derived once. */
    interface KeysOut {
        void accept(BackupKey.DerivedKeys keys);
    }

    /**
     * Reads and checks a header, deriving the keys from {@code key}.
     *
     * @throws RollcallException BACKUP_UNSUPPORTED (not a backup, or a newer version), BACKUP_TRUNCATED (shorter
     *                           than a header), BACKUP_KEY_WRONG (the key check fails)
     */
    static Opened read(InputStream in, BackupKey key) {
        byte[] bytes = new byte[LENGTH];
        try {
            new DataInputStream(in).readFully(bytes);
        } catch (EOFException e) {
            throw new RollcallException(ErrorCode.BACKUP_TRUNCATED, "The file is shorter than a backup's header",
                    Map.of("reason", "header"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new RollcallException(ErrorCode.BACKUP_UNSUPPORTED, "Not a Rollcall backup file",
                    Map.of("reason", "magic"));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int version = Short.toUnsignedInt(b.getShort(8));
        int kdf = b.get(10);
        int cipher = b.get(11);
        if (version != VERSION || kdf != KDF_PBKDF2_SHA256 || cipher != CIPHER_AES256_GCM_CHUNKED) {
            throw new RollcallException(ErrorCode.BACKUP_UNSUPPORTED, "Backup container version " + version
                    + " (key derivation " + kdf + ", cipher " + cipher + ") is not one this Rollcall reads (version "
                    + VERSION + ")", Map.of("reason", "version", "version", version));
        }
        int iterations = b.getInt(12);
        int chunkSize = b.getInt(40);
        if (iterations < BackupKey.MIN_ITERATIONS || iterations > BackupKey.MAX_ITERATIONS || chunkSize < 1
                || chunkSize > MAX_CHUNK_SIZE) {
            throw new RollcallException(ErrorCode.BACKUP_CORRUPT, "The backup's header is damaged",
                    Map.of("reason", "header"));
        }
        SealedHeader header = new SealedHeader(iterations, Arrays.copyOfRange(bytes, 16, 32),
                Arrays.copyOfRange(bytes, 32, 39), chunkSize, Arrays.copyOfRange(bytes, 44, 76));
        BackupKey.DerivedKeys keys = key.derive(header.salt(), iterations);
        if (!MessageDigest.isEqual(hmac(keys.check(), header.signedBytes()), header.keyCheck())) {
            throw new RollcallException(ErrorCode.BACKUP_KEY_WRONG,
                    "BACKUP_KEY is not the key this backup was made with (or the file's header was altered)",
                    Map.of("reason", "key_check"));
        }
        return new Opened(header, keys);
    }

    record Opened(SealedHeader header, BackupKey.DerivedKeys keys) {
    }

    byte[] bytes() {
        return ByteBuffer.allocate(LENGTH).put(signedBytes()).put(keyCheck).array();
    }

    private byte[] signedBytes() {
        return ByteBuffer.allocate(SIGNED_LENGTH)
                .put(MAGIC)
                .putShort((short) VERSION)
                .put((byte) KDF_PBKDF2_SHA256)
                .put((byte) CIPHER_AES256_GCM_CHUNKED)
                .putInt(iterations)
                .put(salt)
                .put(noncePrefix)
                .put((byte) 0)
                .putInt(chunkSize)
                .array();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

package io.rollcall.backup;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The passphrase a backup is sealed with ({@code BACKUP_KEY}). It never enters the file: each file's keys are
 * derived from it with PBKDF2-HMAC-SHA256 over the file's own random salt ({@link #derive}), so the same passphrase
 * gives every file different keys.
 */
public final class BackupKey {
    /** Shorter passphrases fall to a dictionary even at 600,000 PBKDF2 iterations. */
    public static final int MIN_LENGTH = 12;
    /** A bound on what a file's header may ask for, so a forged header cannot make the reader spin for hours. */
    static final int MAX_ITERATIONS = 10_000_000;
    static final int MIN_ITERATIONS = 1_000;

    private final char[] passphrase;
    private byte[] lastSalt;
    private int lastIterations;
    private DerivedKeys lastKeys;

    private BackupKey(char[] passphrase) {
        this.passphrase = passphrase;
    }

    /**
     * @throws RollcallException BACKUP_KEY_MISSING when the passphrase is unset or shorter than {@value #MIN_LENGTH}
     *                           characters
     */
    public static BackupKey of(String passphrase) {
        if (passphrase == null || passphrase.isEmpty()) {
            throw new RollcallException(ErrorCode.BACKUP_KEY_MISSING,
                    "BACKUP_KEY is not set: backups hold minors' biometric data and are always encrypted");
        }
        if (passphrase.codePointCount(0, passphrase.length()) < MIN_LENGTH) {
            throw new RollcallException(ErrorCode.BACKUP_KEY_MISSING,
                    "BACKUP_KEY is too short: at least " + MIN_LENGTH + " characters",
                    Map.of("minimum_length", MIN_LENGTH));
        }
        return new BackupKey(passphrase.toCharArray());
    }

    /**
     * A file's two keys: PBKDF2-HMAC-SHA256 gives one 256-bit master key (one PBKDF2 block: asking it for 512 bits
     * would double the defender's work and not the attacker's, who can test a guess on the first block), which
     * HKDF-Expand (RFC 5869, one block each) splits into the AES-256-GCM key and the key of the header's check.
     * Remembered for the last salt, so a restore that reads the file twice derives once.
     */
    synchronized DerivedKeys derive(byte[] salt, int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations out of range: " + iterations);
        }
        if (lastKeys != null && lastIterations == iterations && Arrays.equals(lastSalt, salt)) {
            return lastKeys;
        }
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        try {
            byte[] master = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            try {
                lastKeys = new DerivedKeys(expand(master, "rollcall-backup v1 cipher"), expand(master, "rollcall-backup v1 key check"));
                lastSalt = salt.clone();
                lastIterations = iterations;
                return lastKeys;
            } finally {
                Arrays.fill(master, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** HKDF-Expand to 32 bytes: HMAC-SHA256(master, info || 0x01). */
    private static byte[] expand(byte[] master, String info) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(master, "HmacSHA256"));
        mac.update(info.getBytes(StandardCharsets.US_ASCII));
        return mac.doFinal(new byte[] {1});
    }

    /** Never the passphrase. */
    @Override
    public String toString() {
        return "BackupKey[***]";
    }

    /** A file's keys: {@code cipher} for AES-256-GCM, {@code check} for the header's HMAC-SHA256 key check. */
    record DerivedKeys(byte[] cipher, byte[] check) {
        @Override
        public String toString() {
            return "DerivedKeys[***]";
        }
    }
}

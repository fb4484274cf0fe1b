package io.cairn.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt as etcd uses it (Go's {@code golang.org/x/crypto/bcrypt}): hashes in the {@code $2a$<cost>$...} form
 * with a 16-byte random salt, over the password's UTF-8 bytes. The API layer hashes a new password before it is
 * proposed (etcd 3.5's {@code hashedPassword}), so no plain password enters the raft log or the WAL; the hash is
 * carried base64-encoded, as etcd carries it. Passwords are never logged. Thread-safe.
 */
public final class Passwords {
    /** bcrypt's cost bounds ({@code bcrypt.MinCost}, {@code bcrypt.MaxCost}) and etcd's default. */
    public static final int MIN_COST = 4;
    public static final int MAX_COST = 31;
    public static final int DEFAULT_COST = 10;
    /** bcrypt reads at most this many password bytes; Go refuses longer ones. */
    static final int MAX_PASSWORD_BYTES = 72;
    /** Go's error text for a longer password (answered with code Unknown, as etcd does). */
    static final String TOO_LONG = "bcrypt: password length exceeds 72 bytes";
    private static final int SALT_BYTES = 16;

    private final int cost;
    private final SecureRandom random = new SecureRandom();

    public Passwords(int cost) {
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be in [" + MIN_COST + ", " + MAX_COST + "]: " + cost);
        }
        this.cost = cost;
    }

    public int cost() {
        return cost;
    }

    /**
     * The bcrypt hash of {@code password}.
     *
     * @throws IllegalArgumentException for a password longer than 72 bytes
     */
    public byte[] hash(String password) {
        byte[] plain = password.getBytes(StandardCharsets.UTF_8);
        if (plain.length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException(TOO_LONG);
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", plain, salt, cost).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@link #hash} as the API layer sends it: base64 of the hash (etcd's {@code hashedPassword}). */
    public String hashBase64(String password) {
        return Base64.getEncoder().encodeToString(hash(password));
    }

    /** Whether {@code password} matches {@code hash} (false for a hash that is not bcrypt's). */
    public static boolean matches(byte[] hash, String password) {
        byte[] plain = password.getBytes(StandardCharsets.UTF_8);
        if (hash.length == 0 || plain.length > MAX_PASSWORD_BYTES) {
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(new String(hash, StandardCharsets.US_ASCII), plain);
        } catch (IllegalArgumentException | IllegalStateException notBcrypt) {
            return false;
        }
    }
}

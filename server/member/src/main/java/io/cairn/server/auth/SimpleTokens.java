package io.cairn.server.auth;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's {@code simple} tokens: {@code <16 random letters>.<raft index>}, where the letters are drawn by the
 * member that received the Authenticate request and the index is that of its applied entry, so every member
 * issues the same token. A token lives {@code --auth-token-ttl} after its last use (each use restarts it, as
 * etcd's TTL keeper does); tokens of a user are dropped when its password changes or it is deleted, and all of
 * them when authentication is switched off. A simple token carries no revision: it is valid at the auth store's
 * current one. Expired tokens are dropped when looked up and whenever a token is issued, so the map holds no
 * more than the tokens used within one TTL. Thread-safe (one lock).
 *
 * <p>A token issued by another member may arrive before this member applied its entry: {@link #unknownIndex}
 * tells the server which index to wait for before it resolves the token (etcd's {@code indexWaiter}).
 */
public final class SimpleTokens implements TokenProvider {
    /** etcd's {@code defaultSimpleTokenLength}. */
    static final int PREFIX_LENGTH = 16;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    /** etcd warns at every this many live tokens. */
    private static final int COUNT_WARN_EVERY = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(SimpleTokens.class);

    private record Entry(String user, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final SecureRandom random = new SecureRandom();
    /** token -&gt; owner and expiry; guarded by this. */
    private final Map<String, Entry> tokens = new HashMap<>();
    private boolean enabled;

    /**
     * @param ttlNanos how long a token lives after its last use
     * @param enabled whether authentication is on now
     */
    public SimpleTokens(long ttlNanos, LongSupplier nanoClock, boolean enabled) {
        if (ttlNanos <= 0) {
            throw new IllegalArgumentException("token TTL must be positive: " + ttlNanos);
        }
        this.ttlNanos = ttlNanos;
        this.nanoClock = nanoClock;
        this.enabled = enabled;
    }

    @Override
    public synchronized Optional<AuthInfo> info(String token, long currentRevision) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        Entry e = tokens.get(token);
        long now = nanoClock.getAsLong();
        if (e == null) {
            return Optional.empty();
        }
        if (now - e.expiresAtNanos > 0) {
            tokens.remove(token);
            return Optional.empty();
        }
        tokens.put(token, new Entry(e.user, now + ttlNanos));
        return Optional.of(new AuthInfo(e.user, currentRevision));
    }

    /** etcd's {@code isValidSimpleToken} format check: {@code <prefix>.<unsigned index>}. */
    private static boolean wellFormed(String token) {
        return index(token).isPresent();
    }

    private static OptionalLong index(String token) {
        int dot = token.indexOf('.');
        if (dot < 0 || token.indexOf('.', dot + 1) >= 0) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(token.substring(dot + 1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The raft index of a well-formed token this member does not know (yet): once that index is applied, the
     * token is known if any member issued it. Empty for a known or malformed token.
     */
    public synchronized OptionalLong unknownIndex(String token) {
        return tokens.containsKey(token) ? OptionalLong.empty() : index(token);
    }

    @Override
    public synchronized String assign(String user, long revision, long index, String prefix) {
        String token = prefix + "." + Long.toUnsignedString(index);
        if (!enabled) {
            return token; // as etcd: issued, but never known
        }
        long now = nanoClock.getAsLong();
        dropExpired(now);
        tokens.put(token, new Entry(user, now + ttlNanos));
        if (tokens.size() % COUNT_WARN_EVERY == 0) {
            LOG.atWarn().addKeyValue("simple-token-count", tokens.size())
                .log("high number of simple tokens stored in memory");
        }
        return token;
    }

    private void dropExpired(long now) {
        Iterator<Entry> it = tokens.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().expiresAtNanos > 0) {
                it.remove();
            }
        }
    }

    @Override
    public synchronized void invalidateUser(String user) {
        tokens.values().removeIf(e -> e.user.equals(user));
    }

    @Override
    public synchronized void enabledChanged(boolean on) {
        enabled = on;
        if (!on) {
            tokens.clear();
        }
    }

    @Override
    public String newPrefix() {
        StringBuilder b = new StringBuilder(PREFIX_LENGTH);
        for (int i = 0; i < PREFIX_LENGTH; i++) {
            b.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return b.toString();
    }

    /** Tokens held now (expired ones not yet dropped included). */
    synchronized int size() {
        return tokens.size();
    }
}

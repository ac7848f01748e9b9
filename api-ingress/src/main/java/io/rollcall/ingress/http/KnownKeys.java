package io.rollcall.ingress.http;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The configured keys, {@code API_KEYS} and {@code ADMIN_API_KEYS}, and what a request presents in
 * {@code X-API-Key} and {@code Authorization: Bearer <key>}. Keys are compared in constant time and never logged; a
 * key is known to the rest of the ingress only by its position (API keys first, then admin keys).
 */
final class KnownKeys {
    private final List<byte[]> keys = new ArrayList<>();
    private final int firstAdmin;

    KnownKeys(List<String> apiKeys, List<String> adminKeys) {
        apiKeys.forEach(k -> keys.add(k.getBytes(StandardCharsets.UTF_8)));
        firstAdmin = keys.size();
        adminKeys.forEach(k -> keys.add(k.getBytes(StandardCharsets.UTF_8)));
    }

    /** No keys of either kind: the API is open to loopback callers only, or to everyone ({@code ALLOW_ANONYMOUS}). */
    boolean isEmpty() {
        return keys.isEmpty();
    }

    /** What a request presents. */
    sealed interface Presented {
    }

    /** Neither header. */
    record NoKey() implements Presented {
    }

    /** Something, but no configured key. */
    record WrongKey() implements Presented {
    }

    /** A configured key: its position, and whether it is an admin key. */
    record Key(int index, boolean admin) implements Presented {
    }

    /**
     * The key a request presents. Both headers are read, and a configured key in either is enough: a client (or a
     * proxy) that adds a stale key in the other header must not lock out its valid one. An admin key wins over an
     * API key. Every candidate is compared with every key, so the time taken does not tell which key came close.
     */
    Presented of(HttpServletRequest request) {
        List<String> candidates = new ArrayList<>(2);
        String header = request.getHeader("X-API-Key");
        if (header != null) {
            candidates.add(header.strip());
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            candidates.add(authorization.substring(7).strip());
        }
        if (candidates.isEmpty()) {
            return new NoKey();
        }
        int found = -1;
        for (String candidate : candidates) {
            byte[] bytes = candidate.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < keys.size(); i++) {
                if (MessageDigest.isEqual(keys.get(i), bytes) && (found < 0 || i >= firstAdmin)) {
                    found = i;
                }
            }
        }
        return found < 0 ? new WrongKey() : new Key(found, found >= firstAdmin);
    }
}

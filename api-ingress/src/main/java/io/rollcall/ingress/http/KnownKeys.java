package io.rollcall.ingress.http;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.OptionalInt;

/**
 * The configured API keys ({@code API_KEYS}) and the key a request presents, in {@code X-API-Key} or
 * {@code Authorization: Bearer <key>}. Keys are compared in constant time and never logged; a key is known to the
 * rest of the ingress only by its position in the list.
 */
final class KnownKeys {
    private final List<byte[]> keys;

    KnownKeys(List<String> keys) {
        this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The key the request presents, or null when it presents none. */
    static String presented(HttpServletRequest request) {
        String presented = request.getHeader("X-API-Key");
        String authorization = request.getHeader("Authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        return presented;
    }

    /**
     * The position of {@code presented} among the configured keys; empty when it is none of them or null. Every key
     * is compared, so the time taken does not tell which key came close.
     */
    OptionalInt indexOf(String presented) {
        if (presented == null) {
            return OptionalInt.empty();
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        int found = -1;
        for (int i = 0; i < keys.size(); i++) {
            if (MessageDigest.isEqual(keys.get(i), bytes)) {
                found = i;
            }
        }
        return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
    }
}

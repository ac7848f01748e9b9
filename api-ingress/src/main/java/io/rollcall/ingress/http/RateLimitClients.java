package io.rollcall.ingress.http;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;

/**
 * Who a request counts against in the rate limit, so that every real client has a budget of its own:
 * <ol>
 *   <li>with {@code API_KEYS} or {@code ADMIN_API_KEYS}, a request presenting a valid key is its key's
 *       ({@code key#0}, by position: a key is never written anywhere). A missing or wrong key falls through to the
 *       address, so guessing keys is limited as any other call from that address;</li>
 *   <li>any other request is its client address's, as {@link ClientAddresses#originalClient} finds it: behind a
 *       trusted proxy the original client, else the connecting address.</li>
 * </ol>
 */
final class RateLimitClients {
    private final KnownKeys keys;
    private final TrustedProxies proxies;

    RateLimitClients(KnownKeys keys, TrustedProxies proxies) {
        this.keys = keys;
        this.proxies = proxies;
    }

    /** The client's bucket id: {@code key#<position>} or {@code ip:<address>}. */
    String of(HttpServletRequest request) {
        if (!keys.isEmpty() && keys.of(request) instanceof KnownKeys.Key key) {
            return "key#" + key.index();
        }
        return "ip:" + ClientAddresses.originalClient(request, proxies).map(InetAddress::getHostAddress)
                .orElse(request.getRemoteAddr());
    }
}

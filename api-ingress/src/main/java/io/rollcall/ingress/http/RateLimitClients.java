package io.rollcall.ingress.http;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Who a request counts against in the rate limit, so that every real client has a budget of its own:
 * <ol>
 *   <li>with {@code API_KEYS}, a request presenting a valid key is its key's ({@code key#0}, by position: a key is
 *       never written anywhere). A missing or wrong key falls through to the address, so guessing keys is limited
 *       as any other call from that address;</li>
 *   <li>a request from a trusted proxy ({@code TRUSTED_PROXIES}) is its original client's: the right-most address
 *       of {@code X-Forwarded-For} (else {@code Forwarded}) that is not itself a trusted proxy. Right-most, because
 *       each proxy appends the peer it saw and only the entries written by trusted proxies can be believed; an
 *       entry that is no address ({@code unknown}) stops the search, and the proxy's own address is used;</li>
 *   <li>any other request is its connecting address's: headers from elsewhere may say anything.</li>
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
        if (!keys.isEmpty()) {
            OptionalInt key = keys.indexOf(KnownKeys.presented(request));
            if (key.isPresent()) {
                return "key#" + key.getAsInt();
            }
        }
        Optional<InetAddress> peer = ClientAddresses.literal(request.getRemoteAddr());
        String connecting = peer.map(InetAddress::getHostAddress).orElse(request.getRemoteAddr());
        if (peer.isEmpty() || !proxies.contains(peer.get())) {
            return "ip:" + connecting;
        }
        List<String> chain = ClientAddresses.forwardedChain(request);
        for (int i = chain.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = ClientAddresses.hop(chain.get(i));
            if (hop.isEmpty()) {
                break;
            }
            if (!proxies.contains(hop.get())) {
                return "ip:" + hop.get().getHostAddress();
            }
        }
        return "ip:" + connecting;
    }
}

package io.rollcall.ingress.http;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Addresses as the connection and proxies' headers give them. Only IP literals are read: a host name is never
 * resolved (a header must not make the ingress query DNS), and anything else counts as no address.
 */
final class ClientAddresses {
    /** Longer than any IPv6 literal with brackets, port and zone; a longer hop is not an address. */
    private static final int MAX_NODE_LENGTH = 64;

    private ClientAddresses() {
    }

    /**
     * The client a request comes from: for a request from a trusted proxy ({@code TRUSTED_PROXIES}), the right-most
     * address of {@code X-Forwarded-For} (else {@code Forwarded}) that is not itself a trusted proxy, since each
     * proxy appends the peer it saw and only the entries written by trusted proxies can be believed (an entry that is
     * no address stops the search at the proxy); for any other request, the connecting address, as headers from
     * elsewhere may say anything. Empty only when the connecting address is no IP literal.
     */
    static Optional<InetAddress> originalClient(HttpServletRequest request, TrustedProxies proxies) {
        Optional<InetAddress> peer = literal(request.getRemoteAddr());
        if (peer.isEmpty() || !proxies.contains(peer.get())) {
            return peer;
        }
        List<String> chain = forwardedChain(request);
        for (int i = chain.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = hop(chain.get(i));
            if (hop.isEmpty()) {
                break;
            }
            if (!proxies.contains(hop.get())) {
                return hop;
            }
        }
        return peer;
    }

    /** An IPv4 or IPv6 literal ({@code 192.0.2.7}, {@code 2001:db8::7}, {@code [2001:db8::7]}), without its zone. */
    static Optional<InetAddress> literal(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_NODE_LENGTH) {
            return Optional.empty();
        }
        int zone = text.indexOf('%');
        String address = zone < 0 ? text : text.substring(0, zone) + (text.startsWith("[") ? "]" : "");
        try {
            // Rebuilt from its bytes: equal addresses then print alike (IPv4-mapped IPv6 comes back as IPv4).
            return Optional.of(InetAddress.getByAddress(InetAddress.ofLiteral(address).getAddress()));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * One hop as {@code X-Forwarded-For} and {@code Forwarded} write it: a literal, maybe with a port
     * ({@code 192.0.2.7:4711}, {@code [2001:db8::7]:4711}); empty for {@code unknown}, an obfuscated identifier
     * ({@code _hidden}) or anything else.
     */
    static Optional<InetAddress> hop(String node) {
        String text = node.strip();
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            return end < 0 ? Optional.empty() : literal(text.substring(1, end));
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && colon == text.lastIndexOf(':')) {
            text = text.substring(0, colon); // IPv4 with a port; an IPv6 literal has several colons
        }
        return literal(text);
    }

    /**
     * The hops the request passed, farthest first, as the proxies recorded them: {@code X-Forwarded-For} when the
     * request has one, else the {@code for} parameters of {@code Forwarded} (RFC 7239). X-Forwarded-For comes first
     * because it is what common proxies append to; a proxy that writes only {@code Forwarded} must not pass on an
     * {@code X-Forwarded-For} it received. Repeated header lines are one list, in order.
     */
    static List<String> forwardedChain(HttpServletRequest request) {
        List<String> xForwardedFor = elements(request, "X-Forwarded-For");
        if (!xForwardedFor.isEmpty()) {
            return xForwardedFor;
        }
        return elements(request, "Forwarded").stream().map(ClientAddresses::forParameter).toList();
    }

    private static List<String> elements(HttpServletRequest request, String header) {
        List<String> out = new ArrayList<>();
        for (String line : Collections.list(request.getHeaders(header))) {
            for (String element : split(line, ',')) {
                if (!element.isBlank()) {
                    out.add(element.strip());
                }
            }
        }
        return out;
    }

    /** The {@code for=} value of one {@code Forwarded} element, unquoted; empty when it has none. */
    private static String forParameter(String element) {
        for (String pair : split(element, ';')) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
                return unquote(pair.substring(equals + 1).strip());
            }
        }
        return "";
    }

    /** Splits at {@code separator} outside quoted strings (RFC 7230 quoted-string, backslash escapes). */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                c = value.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}

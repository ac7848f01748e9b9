package io.rollcall.ingress.http;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * {@code TRUSTED_PROXIES}: the addresses and CIDR ranges (IPv4 and IPv6) of the proxies whose
 * {@code X-Forwarded-For} / {@code Forwarded} headers are believed, such as the school's Node.js server. Anyone else
 * could write any address into those headers, so for everyone else they are ignored.
 */
public final class TrustedProxies {
    /** No proxy is trusted: the default. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param entries addresses ({@code 10.0.0.5}, {@code ::1}) or ranges ({@code 10.0.0.0/8}, {@code fd00::/8})
     * @throws IllegalArgumentException naming {@code TRUSTED_PROXIES} and the entry that is neither
     */
    public static TrustedProxies parse(List<String> entries) {
        return new TrustedProxies(entries.stream().map(TrustedProxies::range).toList());
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return ranges.stream().anyMatch(r -> r.contains(bytes));
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        Optional<InetAddress> parsed = ClientAddresses.literal(address);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("TRUSTED_PROXIES: '" + entry + "' is not an IP address or CIDR range");
        }
        byte[] network = parsed.get().getAddress();
        int bits = network.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("TRUSTED_PROXIES: the prefix length of '" + entry + "' must be 0.." + bits);
            }
        }
        return new Range(network, prefix);
    }

    /** The addresses whose first {@code prefix} bits are those of {@code network}, of the same family. */
    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest);
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }
}

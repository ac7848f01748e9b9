package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {
    private static final TrustedProxies PROXIES =
            TrustedProxies.parse(List.of("10.0.0.0/8", "192.168.1.10", "172.16.5.32/27", "fd00::/8", "::1", "2001:db8::/126"));

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "10.0.0.1, true", "10.255.255.255, true", "11.0.0.1, false", "9.255.255.255, false",
            "192.168.1.10, true", "192.168.1.11, false",
            "172.16.5.32, true", "172.16.5.63, true", "172.16.5.64, false", "172.16.5.31, false",
            "fd12:3456::1, true", "fe80::1, false", "::1, true", "::2, false",
            "2001:db8::3, true", "2001:db8::4, false",
            "::ffff:10.1.2.3, true",
    })
    void containsTheAddressesOfItsRangesOnly(String address, boolean trusted) {
        assertThat(PROXIES.contains(InetAddress.ofLiteral(address))).isEqualTo(trusted);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/", "node.school.example",
            "10.0.0.256", "10.0.0.0/8/8"})
    void refusesAnEntryThatIsNeitherAnAddressNorARangeNamingTheVariable(String entry) {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("127.0.0.1", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TRUSTED_PROXIES: ")
                .hasMessageContaining("'" + entry + "'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0.0.0.0/0", "::/0"})
    void aZeroPrefixTrustsItsWholeFamily(String entry) {
        TrustedProxies all = TrustedProxies.parse(List.of(entry));

        assertThat(all.contains(InetAddress.ofLiteral("203.0.113.9"))).isEqualTo(entry.contains("."));
        assertThat(all.contains(InetAddress.ofLiteral("2001:db8::9"))).isEqualTo(!entry.contains("."));
    }
}

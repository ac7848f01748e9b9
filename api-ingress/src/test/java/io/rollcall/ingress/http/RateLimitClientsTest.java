package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

/** Who a request counts against: the key, the original client behind a trusted proxy, or the connecting address. */
class RateLimitClientsTest {
    private static final TrustedProxies PROXIES = TrustedProxies.parse(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));
    private static final RateLimitClients BY_ADDRESS = new RateLimitClients(new KnownKeys(List.of(), List.of()), PROXIES);
    private static final RateLimitClients BY_KEY = new RateLimitClients(new KnownKeys(List.of("node-key", "admin-key"), List.of()), PROXIES);

    private static MockHttpServletRequest from(String address, String... headers) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/face/list/all");
        request.setRemoteAddr(address);
        for (int i = 0; i < headers.length; i += 2) {
            request.addHeader(headers[i], headers[i + 1]);
        }
        return request;
    }

    @Test
    void aValidKeyIsItsClientByPositionNeverByItsText() {
        assertThat(BY_KEY.of(from("203.0.113.1", "X-API-Key", "admin-key"))).isEqualTo("key#1");
        assertThat(BY_KEY.of(from("203.0.113.2", "Authorization", "Bearer node-key"))).isEqualTo("key#0");
        assertThat(BY_KEY.of(from("10.0.0.2", "X-API-Key", "node-key", "X-Forwarded-For", "203.0.113.3"))).isEqualTo("key#0");
    }

    @Test
    void aWrongOrMissingKeyCountsAgainstTheAddress() {
        assertThat(BY_KEY.of(from("203.0.113.1", "X-API-Key", "node-key2"))).isEqualTo("ip:203.0.113.1");
        assertThat(BY_KEY.of(from("203.0.113.1"))).isEqualTo("ip:203.0.113.1");
        assertThat(BY_KEY.of(from("10.0.0.2", "X-API-Key", "guess", "X-Forwarded-For", "203.0.113.3"))).isEqualTo("ip:203.0.113.3");
    }

    @Test
    void withoutKeysConfiguredAPresentedKeyChangesNothing() {
        assertThat(BY_ADDRESS.of(from("203.0.113.1", "X-API-Key", "node-key"))).isEqualTo("ip:203.0.113.1");
    }

    @ParameterizedTest(name = "{0} | {1} | {2}")
    @CsvSource(delimiter = '|', value = {
            // connecting address | X-Forwarded-For | Forwarded | client
            "10.0.0.2 | 203.0.113.7 | | ip:203.0.113.7",
            "10.0.0.2 | 198.51.100.1, 203.0.113.7, 10.1.1.1 | | ip:203.0.113.7",
            "10.0.0.2 | 203.0.113.7:4711 | | ip:203.0.113.7",
            "10.0.0.2 | [2001:db8::7]:4711 | | ip:2001:db8:0:0:0:0:0:7",
            "10.0.0.2 | 2001:DB8::7 | | ip:2001:db8:0:0:0:0:0:7",
            "10.0.0.2 | ::ffff:203.0.113.7 | | ip:203.0.113.7",
            "10.0.0.2 | fe80::7%eth0 | | ip:fe80:0:0:0:0:0:0:7",
            "10.0.0.2 | 203.0.113.7 | for=198.51.100.9 | ip:203.0.113.7",
            "10.0.0.2 | | for=198.51.100.9 | ip:198.51.100.9",
            "10.0.0.2 | | for=198.51.100.9;proto=https, for=10.2.2.2 | ip:198.51.100.9",
            "10.0.0.2 | | for=\"[2001:db8::9]:80\";by=10.0.0.2 | ip:2001:db8:0:0:0:0:0:9",
            "10.0.0.2 | | proto=https;FOR=198.51.100.9 | ip:198.51.100.9",
            "10.0.0.2 | | for=\"a;b,c\", for=198.51.100.9 | ip:198.51.100.9",
            "10.0.0.2 | | for=198.51.100.9, for=\"a;b,c\" | ip:10.0.0.2",
            "2001:db8:ffff::1 | 203.0.113.7 | | ip:203.0.113.7",
            "10.0.0.2 | unknown | | ip:10.0.0.2",
            "10.0.0.2 | 203.0.113.7, _hidden | | ip:10.0.0.2",
            "10.0.0.2 | 203.0.113.7, proxy.example | | ip:10.0.0.2",
            "10.0.0.2 | | by=10.0.0.2 | ip:10.0.0.2",
            "10.0.0.2 | 10.3.3.3, 10.4.4.4 | | ip:10.0.0.2",
            "10.0.0.2 | | | ip:10.0.0.2",
            "203.0.113.66 | 198.51.100.1 | for=198.51.100.2 | ip:203.0.113.66",
            "2001:db8:fffe::1 | 198.51.100.1 | | ip:2001:db8:fffe:0:0:0:0:1",
            "gateway.local | 198.51.100.1 | | ip:gateway.local",
    })
    void behindTrustedProxiesTheClientIsTheRightMostUntrustedAddressElseTheConnectingOne(
            String connecting, String xForwardedFor, String forwarded, String client) {
        MockHttpServletRequest request = from(connecting);
        if (xForwardedFor != null) {
            request.addHeader("X-Forwarded-For", xForwardedFor);
        }
        if (forwarded != null) {
            request.addHeader("Forwarded", forwarded);
        }

        assertThat(BY_ADDRESS.of(request)).isEqualTo(client);
    }
}

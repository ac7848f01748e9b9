package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ingress's binding of the variables this work added: trusted proxies and the school's time zone. */
class IngressSettingsTest {

    @Test
    void byDefaultNoProxyIsTrustedAndTimesAreInTheSystemZone() {
        IngressSettings settings = IngressSettings.from(Map.of());

        assertThat(settings.trustedProxies().isEmpty()).isTrue();
        assertThat(settings.schoolZone()).isEqualTo(ZoneId.systemDefault());
    }

    @Test
    void readsTrustedProxiesAndTheSchoolZone() {
        IngressSettings settings = IngressSettings.from(Map.of("TRUSTED_PROXIES", " 10.0.0.0/8 , ::1 ",
                "SCHOOL_TIMEZONE", "Europe/London"));

        assertThat(settings.trustedProxies().contains(InetAddress.ofLiteral("10.20.30.40"))).isTrue();
        assertThat(settings.trustedProxies().contains(InetAddress.ofLiteral("::1"))).isTrue();
        assertThat(settings.trustedProxies().contains(InetAddress.ofLiteral("192.0.2.1"))).isFalse();
        assertThat(settings.schoolZone()).isEqualTo(ZoneId.of("Europe/London"));
    }

    @Test
    void refusesToStartWithAProxyThatIsNoAddress() {
        assertThatThrownBy(() -> IngressSettings.from(Map.of("TRUSTED_PROXIES", "node.school.example")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TRUSTED_PROXIES: 'node.school.example' is not an IP address or CIDR range");
    }

    @Test
    void refusesToStartWithAnUnknownZone() {
        assertThatThrownBy(() -> IngressSettings.from(Map.of("SCHOOL_TIMEZONE", "Europe/Atlantis")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SCHOOL_TIMEZONE must be a time zone such as Europe/London, got 'Europe/Atlantis'");
    }
}

package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ingress's binding of its variables: trusted proxies, the school's time zone, and the secure defaults. */
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

    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void byDefaultNothingIsOpenToTheNetwork() {
        IngressSettings settings = IngressSettings.from(Map.of(), GIB);

        assertThat(settings.apiKeys()).isEmpty();
        assertThat(settings.adminApiKeys()).isEmpty();
        assertThat(settings.allowAnonymous()).isFalse();
        assertThat(settings.corsOrigins()).isEmpty();
        assertThat(settings.port()).isEqualTo(8000);
        assertThat(settings.managementPort()).isEqualTo(8002);
        assertThat(settings.minSimilarityThreshold()).isEqualTo(0.3);
    }

    @Test
    void theInflightBudgetIsAnEighthOfTheHeap() {
        assertThat(IngressSettings.from(Map.of(), GIB).maxInflightRequestBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(IngressSettings.from(Map.of(), 4 * GIB).maxInflightRequestBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(IngressSettings.from(Map.of("MAX_INFLIGHT_REQUEST_BYTES", "300000000"), GIB).maxInflightRequestBytes())
                .isEqualTo(300_000_000L);
    }

    @Test
    void theBudgetAlwaysHoldsOneVerifyOfTwoFullPhotos() {
        long twoPhotos = BodyLimits.photoRequest(10L * 1024 * 1024, 2);

        assertThat(IngressSettings.from(Map.of(), 64L * 1024 * 1024).maxInflightRequestBytes()).isEqualTo(twoPhotos);
        assertThatThrownBy(() -> IngressSettings.from(Map.of("MAX_INFLIGHT_REQUEST_BYTES", "1000000"), GIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MAX_INFLIGHT_REQUEST_BYTES must hold at least one verify request of two photos of MAX_IMAGE_BYTES ("
                        + twoPhotos + " bytes), got 1000000");
    }

    @Test
    void atTheDefaultsTheIssuesTwoBatchesOf598MbAreEachTooLargeBeforeTheirBodiesAreRead() {
        BodyLimits limits = IngressSettings.from(Map.of(), GIB).bodyLimits();

        // A full batch (50 photos of 10 MiB) would be 743 MB: more than a request may hold at once.
        assertThat(limits.of("POST", "/api/face/batch-enroll")).isEqualTo(128L * 1024 * 1024).isLessThan(598_000_000L);
        assertThat(limits.of("POST", "/api/face/recognize")).isEqualTo(14_920_365L);
        assertThat(limits.of("POST", "/api/face/verify")).isEqualTo(29_775_194L);
        assertThat(limits.of("POST", "/api/face/bulk-import")).isEqualTo(16L * 1024 * 1024 + 64 * 1024);
        assertThat(limits.of("DELETE", "/api/face/delete")).isEqualTo(64 * 1024);
        assertThat(limits.of("GET", "/api/face/list/all")).isEqualTo(64 * 1024);
    }

    @Test
    void refusesToServeMetricsOnTheApiPort() {
        assertThatThrownBy(() -> IngressSettings.from(Map.of("PORT", "9000", "MANAGEMENT_PORT", "9000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MANAGEMENT_PORT must differ from PORT (9000): health and metrics are never served on the API's port");
    }

    @Test
    void refusesAFloorOutsideZeroToOne() {
        assertThatThrownBy(() -> IngressSettings.from(Map.of("MIN_SIMILARITY_THRESHOLD", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MIN_SIMILARITY_THRESHOLD must be at least 0 and below 1, got 1.0");
    }

    @Test
    void readsKeysAndTheAnonymousSwitch() {
        IngressSettings settings = IngressSettings.from(Map.of("API_KEYS", "a, b", "ADMIN_API_KEYS", "c",
                "ALLOW_ANONYMOUS", "true", "CORS_ALLOWED_ORIGINS", "https://office.school.example"));

        assertThat(settings.apiKeys()).containsExactly("a", "b");
        assertThat(settings.adminApiKeys()).containsExactly("c");
        assertThat(settings.allowAnonymous()).isTrue();
        assertThat(settings.corsOrigins()).containsExactly("https://office.school.example");
    }
}

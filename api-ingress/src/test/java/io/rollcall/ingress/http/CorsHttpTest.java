package io.rollcall.ingress.http;

import static io.rollcall.ingress.TestIngressSettings.ALLOWED_ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.schemas.ListResult;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Browsers on the configured origin can call the API, read its errors, and read the request id. Tests that make
 * counted requests call from their own loopback address or with a key of their own (a valid key is its own client),
 * so the low rate limit here only bites where meant to.
 */
@TestPropertySource(properties = {"ingress.env.API_KEYS=school-key,limited-key", "ingress.env.RATE_LIMIT_PER_MINUTE=2"})
class CorsHttpTest extends IngressHttpTest {

    private HttpAnswer preflight(String path, String origin, String method) {
        return send("OPTIONS", path, BodyPublishers.noBody(), "Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", "content-type, x-api-key, x-request-id");
    }

    @Test
    void aPreflightFromTheConfiguredOriginIsAllowedWithoutAKey() {
        HttpAnswer answer = preflight("/api/face/enroll", ALLOWED_ORIGIN, "POST");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(answer.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(answer.header("Access-Control-Allow-Headers")).containsIgnoringCase("x-api-key");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aPreflightForDeleteIsAllowed() {
        HttpAnswer answer = preflight("/api/face/delete", ALLOWED_ORIGIN, "DELETE");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Methods")).contains("DELETE");
    }

    @Test
    void aPreflightFromAnotherOriginIsNotAllowed() {
        HttpAnswer answer = preflight("/api/face/enroll", "https://evil.example", "POST");

        answer.assertError(403, ErrorCode.FORBIDDEN);
        assertThat(answer.message()).isEqualTo(
                "Origin https://evil.example may not make this request from a browser: the origin must be listed in"
                        + " CORS_ALLOWED_ORIGINS, and the method be GET, POST or DELETE");
        assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void preflightsTellNobodyWhichRoutesExist() {
        HttpAnswer allowedRoute = preflight("/api/face/enroll", ALLOWED_ORIGIN, "POST");
        HttpAnswer allowedNoRoute = preflight("/api/no-such-route", ALLOWED_ORIGIN, "POST");
        HttpAnswer refusedRoute = preflight("/api/face/enroll", "https://evil.example", "POST");
        HttpAnswer refusedNoRoute = preflight("/nothing/here", "https://evil.example", "POST");

        assertThat(List.of(allowedRoute.status(), allowedNoRoute.status())).containsExactly(200, 200);
        assertThat(allowedNoRoute.header("Access-Control-Allow-Methods")).isEqualTo(allowedRoute.header("Access-Control-Allow-Methods"));
        assertThat(refusedNoRoute.status()).isEqualTo(refusedRoute.status()).isEqualTo(403);
        assertThat(refusedNoRoute.message()).isEqualTo(refusedRoute.message());
        assertThat(List.of(allowedRoute, allowedNoRoute, refusedRoute, refusedNoRoute)).allSatisfy(a -> assertThat(a.header("Allow")).isNull());
    }

    @Test
    void aCallFromAnotherOriginIsForbiddenBeforeItDoesAnything() {
        HttpAnswer answer = sendFrom(35, request("/api/face/list/all").GET(), "Origin", "https://evil.example",
                "X-API-Key", "school-key");

        answer.assertError(403, ErrorCode.FORBIDDEN);
        assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void preflightsDoNotUseUpTheRateLimit() {
        List<Integer> preflights = IntStream.range(0, 5)
                .mapToObj(i -> sendFrom(31, request("/api/face/list/all").method("OPTIONS", BodyPublishers.noBody()),
                        "Origin", ALLOWED_ORIGIN, "Access-Control-Request-Method", "GET").status()).toList();

        assertThat(preflights).containsOnly(200);
    }

    @Test
    void anAllowedCallExposesTheRequestIdToTheBrowser() {
        gateway.answer(ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build());

        HttpAnswer answer = sendFrom(33, request("/api/face/list/all").GET(), "Origin", ALLOWED_ORIGIN, "X-API-Key", "school-key");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(answer.header("Access-Control-Expose-Headers")).contains("X-Request-Id").contains("Retry-After");
    }

    @Test
    void aBrowserCanReadAnUnauthorizedAnswer() {
        HttpAnswer answer = sendFrom(34, request("/api/face/list/all").GET(), "Origin", ALLOWED_ORIGIN);

        answer.assertError(401, ErrorCode.UNAUTHORIZED);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(answer.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
    }

    @Test
    void aBrowserCanReadARateLimitedAnswerAndItsRetryAfter() {
        gateway.answer(ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build());
        IntStream.range(0, 2).forEach(i -> sendFrom(32, request("/api/face/list/all").GET(), "X-API-Key", "limited-key"));

        HttpAnswer answer = sendFrom(32, request("/api/face/list/all").GET(), "Origin", ALLOWED_ORIGIN, "X-API-Key", "limited-key");

        answer.assertError(429, ErrorCode.RATE_LIMITED);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(answer.header("Access-Control-Expose-Headers")).contains("Retry-After");
    }

    /** The default: no origin named, so no web page elsewhere may call the API. */
    @Nested
    @TestPropertySource(properties = "ingress.env.CORS_ALLOWED_ORIGINS=")
    class ByDefault {

        @Test
        void noOriginMayCall() {
            gateway.answer(ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build());

            HttpAnswer preflight = preflight("/api/face/list/all", ALLOWED_ORIGIN, "GET");
            HttpAnswer call = sendFrom(36, request("/api/face/list/all").GET(), "Origin", ALLOWED_ORIGIN, "X-API-Key", "school-key");
            HttpAnswer withoutABrowser = sendFrom(36, request("/api/face/list/all").GET(), "X-API-Key", "school-key");

            preflight.assertError(403, ErrorCode.FORBIDDEN);
            call.assertError(403, ErrorCode.FORBIDDEN);
            assertThat(withoutABrowser.status()).isEqualTo(200);
            assertThat(gateway.calls()).hasSize(1);
        }
    }
}

package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.StatusResult;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The limit per real client, over HTTP. The limiter remembers clients for as long as the application runs, so each
 * test calls as clients of its own: loopback addresses 127.0.0.n (127.0.0.200 and 127.0.1.0/24 are the trusted
 * proxies), forwarded addresses and API keys used nowhere else. The window itself is proven with a clock of the
 * test's own in {@link SlidingWindowLimiterTest}. Anonymous callers from other machines, as the forwarded clients
 * are, are served ({@code ALLOW_ANONYMOUS}): who may call at all is {@link ProtectedModeHttpTest}'s subject.
 */
@TestPropertySource(properties = {"ingress.env.RATE_LIMIT_PER_MINUTE=3",
        "ingress.env.TRUSTED_PROXIES=127.0.0.200, 127.0.1.0/24", "ingress.env.ALLOW_ANONYMOUS=true"})
class RateLimitHttpTest extends IngressHttpTest {
    private static final int PROXY = 200;

    @BeforeEach
    void workerAnswersEverything() {
        gateway.answer(command -> command instanceof io.rollcall.schemas.StatusCommand
                ? StatusResult.newBuilder().setModelPack("buffalo_l").setModelLoaded(true).setEnrolledFaces(0)
                        .setEnrolledPersons(0).setSimilarityThreshold(0.6).setDatabaseOk(true).build()
                : ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build());
    }

    /** A list request from 127.0.0.{@code client}, with headers. */
    private HttpAnswer list(int client, String... headers) {
        return sendFrom(client, request("/api/face/list/all").GET(), headers);
    }

    /** The statuses of {@code count} list requests from 127.0.1.{@code proxy}, each with the same headers. */
    private List<Integer> viaProxyInRange(int proxy, int count, String... headers) {
        return IntStream.range(0, count).mapToObj(i -> sendFrom("127.0.1." + proxy, request("/api/face/list/all").GET(), headers)
                .status()).toList();
    }

    @Test
    void theFourthRequestInAMinuteIsRefusedWithRetryAfter() {
        List<Integer> allowed = IntStream.range(0, 3).mapToObj(i -> list(11).status()).toList();

        HttpAnswer fourth = list(11);

        assertThat(allowed).containsExactly(200, 200, 200);
        assertThat(fourth.assertError(429, ErrorCode.RATE_LIMITED).get("retry_after_seconds").asLong())
                .isEqualTo(Long.parseLong(fourth.header("Retry-After")));
        assertThat(Long.parseLong(fourth.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(fourth.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(gateway.calls()).hasSize(3);
    }

    @Test
    void anotherClientIsNotHeldBackByTheFirst() {
        IntStream.range(0, 4).forEach(i -> list(12));

        assertThat(list(13).status()).isEqualTo(200);
    }

    @Test
    void theLimitAndWhatIsLeftAreAdvertised() {
        HttpAnswer first = list(14);

        assertThat(first.header("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(first.header("X-RateLimit-Remaining")).isEqualTo("2");
    }

    @Test
    void healthChecksAreNeverLimited() {
        IntStream.range(0, 4).forEach(i -> list(15));

        List<Integer> statuses = IntStream.range(0, 10)
                .mapToObj(i -> sendFrom(15, request("/api/health").GET()).status()).toList();

        assertThat(statuses).containsOnly(200);
    }

    @Test
    void behindATrustedProxyEachOriginalClientInXForwardedForHasItsOwnBudget() {
        List<Integer> first = IntStream.range(0, 4)
                .mapToObj(i -> list(PROXY, "X-Forwarded-For", "203.0.113.7").status()).toList();

        HttpAnswer second = list(PROXY, "X-Forwarded-For", "203.0.113.8");

        assertThat(first).containsExactly(200, 200, 200, 429);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("X-RateLimit-Remaining")).isEqualTo("2");
    }

    @Test
    void theClientIsTheRightMostForwardedAddressThatIsNotATrustedProxy() {
        List<Integer> throughTwoProxies = IntStream.range(0, 3).mapToObj(i -> list(PROXY,
                "X-Forwarded-For", "10.9.9.9, 203.0.113.20, 127.0.1.5").status()).toList();

        HttpAnswer direct = list(PROXY, "X-Forwarded-For", "203.0.113.20");
        HttpAnswer headerOnTwoLines = list(PROXY, "X-Forwarded-For", "203.0.113.20", "X-Forwarded-For", "127.0.1.5");
        HttpAnswer spoofedFarther = list(PROXY, "X-Forwarded-For", "10.9.9.9");

        assertThat(throughTwoProxies).containsExactly(200, 200, 200);
        assertThat(direct.status()).isEqualTo(429);
        assertThat(headerOnTwoLines.status()).isEqualTo(429);
        assertThat(spoofedFarther.status()).isEqualTo(200);
    }

    @Test
    void behindATrustedProxyEachOriginalClientInForwardedHasItsOwnBudget() {
        List<Integer> first = viaProxyInRange(7, 3, "Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https");

        List<Integer> sameClientWrittenOtherwise = viaProxyInRange(8, 1,
                "Forwarded", "For=\"[2001:DB8:CAFE:0:0:0:0:17]\", for=127.0.1.9");
        List<Integer> anotherClient = viaProxyInRange(7, 1, "Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43");

        assertThat(first).containsExactly(200, 200, 200);
        assertThat(sameClientWrittenOtherwise).containsExactly(429);
        assertThat(anotherClient).containsExactly(200);
    }

    @Test
    void aClientThatIsNotATrustedProxyIsCountedByItsOwnAddressWhateverItForwards() {
        List<Integer> spoofing = IntStream.range(0, 4).mapToObj(i -> list(16,
                "X-Forwarded-For", "203.0.113." + (100 + i), "Forwarded", "for=198.51.100." + i).status()).toList();

        HttpAnswer theNamedClientViaTheProxy = list(PROXY, "X-Forwarded-For", "203.0.113.100");

        assertThat(spoofing).containsExactly(200, 200, 200, 429);
        assertThat(theNamedClientViaTheProxy.status()).isEqualTo(200);
        assertThat(theNamedClientViaTheProxy.header("X-RateLimit-Remaining")).isEqualTo("2");
    }

    @Test
    void aTrustedProxyNamingNoAddressableClientIsCountedByItsOwnAddress() {
        List<Integer> statuses = List.of(
                viaProxyInRange(20, 1, "X-Forwarded-For", "unknown").getFirst(),
                viaProxyInRange(20, 1, "Forwarded", "for=_hidden").getFirst(),
                viaProxyInRange(20, 1, "X-Forwarded-For", "203.0.113.30, example.com").getFirst(),
                viaProxyInRange(20, 1).getFirst());

        assertThat(statuses).containsExactly(200, 200, 200, 429);
    }

    @Nested
    @TestPropertySource(properties = "ingress.env.API_KEYS=node-key,admin-key,bearer-key,address-key")
    class WithApiKeys {

        @Test
        void eachKeyHasItsOwnBudgetWhereverItCallsFrom() {
            List<Integer> node = List.of(list(21, "X-API-Key", "node-key").status(), list(22, "X-API-Key", "node-key").status(),
                    list(PROXY, "X-API-Key", "node-key", "X-Forwarded-For", "203.0.113.40").status());

            HttpAnswer fourth = list(23, "X-API-Key", "node-key");
            HttpAnswer admin = list(21, "X-API-Key", "admin-key");

            assertThat(node).containsExactly(200, 200, 200);
            fourth.assertError(429, ErrorCode.RATE_LIMITED);
            assertThat(fourth.body()).doesNotContain("node-key");
            assertThat(fourth.headers().map().toString()).doesNotContain("node-key");
            assertThat(admin.status()).isEqualTo(200);
            assertThat(list(23).status()).as("address 23 itself has spent nothing").isEqualTo(401);
        }

        @Test
        void aKeyCountsTheSameInEitherHeader() {
            List<Integer> statuses = List.of(list(24, "X-API-Key", "bearer-key").status(),
                    list(25, "Authorization", "Bearer bearer-key").status(), list(26, "authorization", "bearer bearer-key").status(),
                    list(27, "X-API-Key", "bearer-key").status());

            assertThat(statuses).containsExactly(200, 200, 200, 429);
        }

        @Test
        void wrongKeysCountAgainstTheAddressSoKeysCannotBeGuessedQuickly() {
            List<Integer> guesses = IntStream.range(0, 4)
                    .mapToObj(i -> list(28, "X-API-Key", "guess-" + i).status()).toList();

            HttpAnswer withoutAKey = list(28);
            HttpAnswer withAValidKey = list(28, "X-API-Key", "address-key");

            assertThat(guesses).containsExactly(401, 401, 401, 429);
            assertThat(withoutAKey.status()).isEqualTo(429);
            assertThat(withAValidKey.status()).isEqualTo(200);
        }
    }

    @Nested
    @TestPropertySource(properties = "ingress.env.RATE_LIMIT_PER_MINUTE=0")
    class WhenTheLimitIsZero {

        @Test
        void nothingIsLimited() {
            List<Integer> statuses = IntStream.range(0, 20).mapToObj(i -> list(17).status()).toList();

            assertThat(statuses).containsOnly(200);
            assertThat(list(17).header("X-RateLimit-Limit")).isNull();
        }
    }
}

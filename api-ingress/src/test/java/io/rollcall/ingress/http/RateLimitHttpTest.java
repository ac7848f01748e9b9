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

/** Each test calls from its own loopback address, which the ingress counts as its own client. */
@TestPropertySource(properties = {"ingress.env.RATE_LIMIT_PER_MINUTE=3", "ingress.env.API_KEYS=school-key"})
class RateLimitHttpTest extends IngressHttpTest {

    @BeforeEach
    void workerAnswersEverything() {
        gateway.answer(command -> command instanceof io.rollcall.schemas.StatusCommand
                ? StatusResult.newBuilder().setModelPack("buffalo_l").setModelLoaded(true).setEnrolledFaces(0)
                        .setEnrolledPersons(0).setSimilarityThreshold(0.6).setDatabaseOk(true).build()
                : ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build());
    }

    private HttpAnswer list(int client) {
        return sendFrom(client, request("/api/face/list/all").GET(), "X-API-Key", "school-key");
    }

    @Test
    void theFourthRequestInAMinuteIsRefusedWithRetryAfter() {
        List<Integer> allowed = IntStream.range(0, 3).mapToObj(i -> list(11).status()).toList();

        HttpAnswer fourth = list(11);

        assertThat(allowed).containsExactly(200, 200, 200);
        assertThat(fourth.assertError(429, ErrorCode.RATE_LIMITED).get("retry_after_seconds").asLong())
                .isEqualTo(Long.parseLong(fourth.header("Retry-After")));
        assertThat(fourth.header("Retry-After")).matches("[1-9][0-9]*");
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
    void requestsWithAWrongKeyCountAgainstTheLimitSoKeysCannotBeGuessedQuickly() {
        List<Integer> statuses = IntStream.range(0, 4)
                .mapToObj(i -> sendFrom(16, request("/api/face/list/all").GET(), "X-API-Key", "guess-" + i).status())
                .toList();

        assertThat(statuses).containsExactly(401, 401, 401, 429);
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

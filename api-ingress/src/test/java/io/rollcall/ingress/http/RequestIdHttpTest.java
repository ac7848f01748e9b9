package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.schemas.RecognizeResult;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdHttpTest extends IngressHttpTest {

    private HttpAnswer recognize(String... headers) {
        gateway.answer(RecognizeResult.newBuilder().build());
        return postJson("/api/face/recognize", "{\"image_base64\": \"%s\"}".formatted(JPEG_DATA_URL), headers);
    }

    @Test
    void aCallersRequestIdIsEchoedAndHandedToTheWorkers() {
        HttpAnswer answer = recognize("X-Request-Id", "scan-2024.01.15_0001");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Request-Id")).isEqualTo("scan-2024.01.15_0001");
        assertThat(gateway.onlyCall().requestId()).isEqualTo("scan-2024.01.15_0001");
    }

    @Test
    void withoutOneAFreshUuidIsGivenAndHandedToTheWorkers() {
        HttpAnswer first = recognize();
        String id = first.header("X-Request-Id");

        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(gateway.onlyCall().requestId()).isEqualTo(id);
        assertThat(recognize().header("X-Request-Id")).isNotEqualTo(id);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"has spaces in it", "quote\"and<tag>", "LONG"})
    void anUnsafeRequestIdIsReplaced(String unsafe) {
        String given = unsafe.equals("LONG") ? "a".repeat(200) : unsafe;

        HttpAnswer answer = recognize("X-Request-Id", given);

        String id = answer.header("X-Request-Id");
        assertThat(id).isNotEqualTo(given);
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(gateway.onlyCall().requestId()).isEqualTo(id);
    }

    @Test
    void errorBodiesCarryTheRequestId() {
        HttpAnswer answer = postJson("/api/face/recognize", "{}", "X-Request-Id", "bad-scan-1");

        answer.assertValidationError("image_base64");
        assertThat(answer.json().get("request_id").asString()).isEqualTo("bad-scan-1");
    }

    @Test
    void notFoundBodiesCarryTheRequestIdToo() {
        HttpAnswer answer = get("/api/unknown", "X-Request-Id", "lost-1");

        answer.assertError(404, ErrorCode.NOT_FOUND);
        assertThat(answer.json().get("request_id").asString()).isEqualTo("lost-1");
    }

    @Test
    void theWorkersLearnWhoAsked() {
        recognize();

        assertThat(gateway.onlyCall().client()).isEqualTo("127.0.0.1");
    }
}

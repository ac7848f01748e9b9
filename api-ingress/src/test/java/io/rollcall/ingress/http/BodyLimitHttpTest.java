package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.schemas.RecognizeResult;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class BodyLimitHttpTest extends IngressHttpTest {

    @Autowired
    private IngressSettings settings;

    /** A recognition request with a valid image, padded with an ignored field to {@code size} bytes. */
    private String paddedRecognizeBody(long size) {
        String head = "{\"image_base64\": \"%s\", \"padding\": \"".formatted(JPEG_DATA_URL);
        return head + "x".repeat((int) (size - head.length() - 2)) + "\"}";
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() {
        // Not even JSON: were it read, this would be a validation error.
        byte[] body = new byte[(int) settings.maxRequestBytes() + 1];

        HttpAnswer answer = send(request("/api/face/batch-enroll").POST(BodyPublishers.ofByteArray(body)),
                "Content-Type", "application/json");

        var details = answer.assertError(413, ErrorCode.REQUEST_TOO_LARGE);
        assertThat(details.get("limit").asLong()).isEqualTo(settings.maxRequestBytes());
        assertThat(details.get("bytes").asLong()).isEqualTo(settings.maxRequestBytes() + 1);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aBodyOfExactlyTheLimitIsServed() {
        gateway.answer(RecognizeResult.newBuilder().build());

        HttpAnswer answer = postJson("/api/face/recognize", paddedRecognizeBody(settings.maxRequestBytes()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void aChunkedBodyWithoutADeclaredLengthIsCutOffAtTheLimit() {
        gateway.answer(RecognizeResult.newBuilder().build());
        byte[] body = paddedRecognizeBody(settings.maxRequestBytes() + 1).getBytes(StandardCharsets.UTF_8);

        HttpAnswer answer = send(request("/api/face/recognize")
                        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))),
                "Content-Type", "application/json");

        answer.assertError(413, ErrorCode.REQUEST_TOO_LARGE);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aChunkedBodyWithinTheLimitIsServed() {
        gateway.answer(RecognizeResult.newBuilder().build());
        byte[] body = paddedRecognizeBody(settings.maxRequestBytes()).getBytes(StandardCharsets.UTF_8);

        HttpAnswer answer = send(request("/api/face/recognize")
                        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))),
                "Content-Type", "application/json");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void aChunkedFormBodyOnDeleteIsCutOffAtTheLimitToo() {
        byte[] body = ("a=" + "x".repeat((int) settings.maxRequestBytes())).getBytes(StandardCharsets.UTF_8);

        HttpAnswer answer = send(request("/api/face/delete")
                        .method("DELETE", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))),
                "Content-Type", "application/x-www-form-urlencoded");

        answer.assertError(413, ErrorCode.REQUEST_TOO_LARGE);
        assertThat(gateway.calls()).isEmpty();
    }
}

package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.TestIngressSettings;
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

    /** The limit of a recognition: one photo. */
    private long recognizeLimit() {
        return settings.bodyLimits().of("POST", "/api/face/recognize");
    }

    /** A recognition request with a valid image, padded with an ignored field to {@code size} bytes. */
    private String paddedRecognizeBody(long size) {
        String head = "{\"image_base64\": \"%s\", \"padding\": \"".formatted(JPEG_DATA_URL);
        return head + "x".repeat((int) (size - head.length() - 2)) + "\"}";
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() {
        // Not even JSON: were it read, this would be a validation error.
        long limit = settings.bodyLimits().of("POST", "/api/face/batch-enroll");
        byte[] body = new byte[(int) limit + 1];

        HttpAnswer answer = send(request("/api/face/batch-enroll").POST(BodyPublishers.ofByteArray(body)),
                "Content-Type", "application/json");

        var details = answer.assertError(413, ErrorCode.REQUEST_TOO_LARGE);
        assertThat(details.get("limit").asLong()).isEqualTo(limit);
        assertThat(details.get("bytes").asLong()).isEqualTo(limit + 1);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aBodyOfExactlyTheLimitIsServed() {
        gateway.answer(RecognizeResult.newBuilder().build());

        HttpAnswer answer = postJson("/api/face/recognize", paddedRecognizeBody(recognizeLimit()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void aChunkedBodyWithoutADeclaredLengthIsCutOffAtTheLimit() {
        gateway.answer(RecognizeResult.newBuilder().build());
        byte[] body = paddedRecognizeBody(recognizeLimit() + 1).getBytes(StandardCharsets.UTF_8);

        HttpAnswer answer = send(request("/api/face/recognize")
                        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))),
                "Content-Type", "application/json");

        answer.assertError(413, ErrorCode.REQUEST_TOO_LARGE);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aChunkedBodyWithinTheLimitIsServed() {
        gateway.answer(RecognizeResult.newBuilder().build());
        byte[] body = paddedRecognizeBody(recognizeLimit()).getBytes(StandardCharsets.UTF_8);

        HttpAnswer answer = send(request("/api/face/recognize")
                        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))),
                "Content-Type", "application/json");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void aChunkedFormBodyOnDeleteIsCutOffAtTheLimitToo() {
        byte[] body = ("a=" + "x".repeat((int) settings.bodyLimits().of("DELETE", "/api/face/delete"))).getBytes(StandardCharsets.UTF_8);

        HttpAnswer answer = send(request("/api/face/delete")
                        .method("DELETE", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))),
                "Content-Type", "application/x-www-form-urlencoded");

        answer.assertError(413, ErrorCode.REQUEST_TOO_LARGE);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void eachEndpointHasTheLimitOfWhatItCarries() {
        BodyLimits limits = settings.bodyLimits();
        long onePhoto = limits.of("POST", "/api/face/recognize");

        assertThat(limits.of("POST", "/api/face/enroll")).isEqualTo(onePhoto);
        assertThat(limits.of("POST", "/api/face/quality-check")).isEqualTo(onePhoto);
        assertThat(limits.of("POST", "/api/face/verify")).isEqualTo(2 * onePhoto - BodyLimits.JSON_SLACK);
        assertThat(limits.of("POST", "/api/face/batch-enroll"))
                .isEqualTo(TestIngressSettings.MAX_BATCH_ITEMS * (onePhoto - BodyLimits.JSON_SLACK + BodyLimits.ITEM_SLACK)
                        + BodyLimits.JSON_SLACK);
        assertThat(limits.of("POST", "/api/face/bulk-import")).isEqualTo(2L * IngressSettings.MAX_CSV_BYTES + BodyLimits.JSON_SLACK);
        assertThat(limits.of("DELETE", "/api/face/delete")).isEqualTo(BodyLimits.JSON_SLACK);
        assertThat(limits.of("POST", "/api/admin/migration")).isEqualTo(BodyLimits.JSON_SLACK);
    }

    @Test
    void aBodyTooLargeForARecognitionIsServedByVerifyWhichCarriesTwoPhotos() {
        gateway.answer(io.rollcall.schemas.VerifyResult.newBuilder().setSamePerson(false).setSimilarity(0.1)
                .setConfidence(0.1).setThreshold(0.6).build());
        long size = recognizeLimit() + 1;
        String head = "{\"image1_base64\": \"%s\", \"image2_base64\": \"%s\", \"padding\": \"".formatted(JPEG_DATA_URL, JPEG_DATA_URL);
        String verify = head + "x".repeat((int) (size - head.length() - 2)) + "\"}";

        HttpAnswer tooLargeToRecognize = postJson("/api/face/recognize", paddedRecognizeBody(size));
        HttpAnswer verified = postJson("/api/face/verify", verify);

        assertThat(tooLargeToRecognize.assertError(413, ErrorCode.REQUEST_TOO_LARGE).get("limit").asLong()).isEqualTo(recognizeLimit());
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
    }

    @Test
    void aDeleteCarriesAFewFieldsNotAPhoto() {
        byte[] body = ("{\"person_type\": \"student\", \"person_code\": \"S001\", \"padding\": \""
                + "x".repeat((int) BodyLimits.JSON_SLACK) + "\"}").getBytes(StandardCharsets.UTF_8);

        HttpAnswer answer = send(request("/api/face/delete").method("DELETE", BodyPublishers.ofByteArray(body)),
                "Content-Type", "application/json");

        assertThat(answer.assertError(413, ErrorCode.REQUEST_TOO_LARGE).get("limit").asLong()).isEqualTo(BodyLimits.JSON_SLACK);
        assertThat(gateway.calls()).isEmpty();
    }
}

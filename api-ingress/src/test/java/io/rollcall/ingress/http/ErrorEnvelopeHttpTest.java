package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.schemas.RecognizeResult;
import java.net.http.HttpRequest.BodyPublishers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Client mistakes the framework detects get the same envelope as the API's own errors: never a 500, never HTML. */
class ErrorEnvelopeHttpTest extends IngressHttpTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"GET, /api/nothing-here", "GET, /nothing-here", "POST, /api/face/nothing-here", "DELETE, /api/face",
            "GET, /api/face/list"})
    void anUnknownRouteIsNotFound(String method, String path) {
        HttpAnswer answer = send(method, path, BodyPublishers.noBody());

        answer.assertError(404, ErrorCode.NOT_FOUND);
        assertThat(answer.message()).isEqualTo("No endpoint at " + path);
    }

    @Test
    void theWrongMethodIsNotAllowedAndSaysWhichIs() {
        HttpAnswer answer = get("/api/face/enroll");

        answer.assertError(405, ErrorCode.METHOD_NOT_ALLOWED);
        assertThat(answer.header("Allow")).isEqualTo("POST");
    }

    @Test
    void deleteOnARecognitionEndpointIsNotAllowed() {
        send("DELETE", "/api/face/recognize", BodyPublishers.noBody()).assertError(405, ErrorCode.METHOD_NOT_ALLOWED);
    }

    @Test
    void anUnsupportedContentTypeIsAValidationErrorOfTheContentType() {
        HttpAnswer answer = send(request("/api/face/recognize").POST(BodyPublishers.ofString("image=abc")),
                "Content-Type", "text/plain");

        answer.assertValidationError("Content-Type");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aFormEncodedBodyOnAJsonEndpointIsAValidationError() {
        send(request("/api/face/recognize").POST(BodyPublishers.ofString("image_base64=abc")),
                "Content-Type", "application/x-www-form-urlencoded").assertValidationError("Content-Type");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aBrowserAskingForHtmlStillGetsTheJsonEnvelope() {
        HttpAnswer answer = get("/api/nothing-here", "Accept", "text/html");

        answer.assertError(404, ErrorCode.NOT_FOUND);
        assertThat(answer.body()).doesNotContain("<html");
    }

    @Test
    void wrongMethodFromABrowserIsStillTheJsonEnvelope() {
        get("/api/face/enroll", "Accept", "text/html").assertError(405, ErrorCode.METHOD_NOT_ALLOWED);
    }

    @Test
    void anAcceptHeaderThatRulesOutJsonIsAClientMistakeNotAServerError() {
        gateway.answer(RecognizeResult.newBuilder().build());

        HttpAnswer answer = postJson("/api/face/recognize", "{\"image_base64\": \"%s\"}".formatted(JPEG_DATA_URL),
                "Accept", "application/xml");

        answer.assertValidationError("Accept");
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorThatLeaksNothing() {
        gateway.answer(command -> {
            throw new IllegalStateException("secret stack detail");
        });

        HttpAnswer answer = postJson("/api/face/recognize", "{\"image_base64\": \"%s\"}".formatted(JPEG_DATA_URL));

        answer.assertError(500, ErrorCode.INTERNAL_ERROR);
        assertThat(answer.body()).doesNotContain("secret").doesNotContain("IllegalStateException");
    }

    @Test
    void springsOwnErrorPathIsNotAPageOfItsOwn() {
        HttpAnswer answer = get("/error", "Accept", "text/html");

        answer.assertError(404, ErrorCode.NOT_FOUND);
        assertThat(answer.body()).doesNotContain("<html");
    }

    @Test
    void aPathTheServletContainerRefusesIsStillTheJsonEnvelope() {
        // Tomcat rejects an encoded '/' before any filter or controller runs.
        HttpAnswer answer = get("/api/face/list/student%2Fteacher", "Accept", "text/html");

        answer.assertError(400, ErrorCode.VALIDATION_ERROR);
        assertThat(answer.body()).doesNotContain("<html");
        assertThat(gateway.calls()).isEmpty();
    }
}

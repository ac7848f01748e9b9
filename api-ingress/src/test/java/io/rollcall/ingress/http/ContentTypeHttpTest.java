package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@code Content-Type} that names no one concrete media type is a {@code VALIDATION_ERROR} of the field
 * {@code Content-Type}, on every endpoint, with or without a body: never a 500 (a wildcard on recognize was), and
 * nothing reaches the workers.
 */
class ContentTypeHttpTest extends IngressHttpTest {
    private static final List<String[]> ENDPOINTS = List.of(
            new String[] {"POST", "/api/face/enroll"}, new String[] {"POST", "/api/face/register"},
            new String[] {"POST", "/api/face/recognize"}, new String[] {"POST", "/api/face/recognize-group"},
            new String[] {"POST", "/api/face/verify"}, new String[] {"POST", "/api/face/batch-enroll"},
            new String[] {"POST", "/api/face/quality-check"}, new String[] {"POST", "/api/face/bulk-import"},
            new String[] {"DELETE", "/api/face/delete"}, new String[] {"DELETE", "/api/admin/face/1"},
            new String[] {"DELETE", "/api/face/sample/1"}, new String[] {"GET", "/api/face/list/all"},
            new String[] {"GET", "/api/face/bulk-import/some-job"});

    private static final List<String> MISTAKES = List.of("application/*", "*/*", "*", "image/*", "text/*", "multipart/*",
            "application/*+json", "garbage", "/json", "application/json, text/csv", "application/json; charset=",
            "application/json; charset=no-such-charset", "text/csv; charset=\"", "multipart/form-data");

    static Stream<Arguments> everyEndpointWithEveryMistake() {
        return ENDPOINTS.stream().flatMap(e -> MISTAKES.stream().map(type -> Arguments.of(e[0], e[1], type)));
    }

    @ParameterizedTest(name = "{0} {1} with Content-Type: {2}")
    @MethodSource("everyEndpointWithEveryMistake")
    void aContentTypeThatNamesNoMediaTypeIsAValidationError(String method, String path, String contentType) {
        HttpAnswer answer = send(request(path).method(method, BodyPublishers.ofString("{\"person_type\": \"student\"}")),
                "Content-Type", contentType);

        answer.assertValidationError("Content-Type");
        assertThat(answer.message()).startsWith("Content-Type '" + contentType + "' ")
                .endsWith("; send application/json (or multipart/form-data or text/csv where documented)");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void eachMistakeIsNamed() {
        assertThat(ContentTypes.mistake("application/*")).isEqualTo("is a pattern, not a media type");
        assertThat(ContentTypes.mistake("garbage")).isEqualTo("is not a media type");
        assertThat(ContentTypes.mistake("application/json; charset=no-such-charset"))
                .isEqualTo("names a charset this server does not know");
        assertThat(ContentTypes.mistake("multipart/form-data"))
                .isEqualTo("has no boundary parameter, without which its parts cannot be read");
        assertThat(ContentTypes.mistake("application/json; charset=UTF-8")).isNull();
        assertThat(ContentTypes.mistake("multipart/form-data; boundary=x")).isNull();
    }

    @Test
    void aWellFormedTypeTheEndpointDoesNotReadIsStillTheEndpointsValidationError() {
        HttpAnswer answer = send(request("/api/face/recognize").POST(BodyPublishers.ofString("x")), "Content-Type", "image/jpeg");

        answer.assertValidationError("Content-Type");
        assertThat(answer.message()).isEqualTo("Content-Type image/jpeg is not supported here; send application/json"
                + " (or multipart/form-data or text/csv where documented)");
    }

    @Test
    void aMultipartBodyOnDeleteIsAValidationErrorNotAServerError() {
        HttpAnswer answer = send(request("/api/face/delete").method("DELETE", BodyPublishers.ofString("--x--\r\n")),
                "Content-Type", "multipart/form-data; boundary=x");

        assertThat(answer.status()).isEqualTo(400);
        answer.assertError(400, io.rollcall.error.ErrorCode.VALIDATION_ERROR);
        assertThat(gateway.calls()).isEmpty();
    }
}

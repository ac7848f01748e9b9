package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

class OpenApiHttpTest extends IngressHttpTest {

    @LocalServerPort
    int port;

    @Test
    void theOpenApiDocumentListsTheFaceEndpoints() {
        HttpAnswer answer = get("/api/openapi.json");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode document = answer.json();
        assertThat(document.get("openapi").asString()).startsWith("3.");
        assertThat(document.get("paths").propertyNames()).contains(
                "/api/face/enroll", "/api/face/register", "/api/face/recognize", "/api/face/verify",
                "/api/face/recognize-group", "/api/face/list/{personType}", "/api/face-descriptors/{personType}",
                "/api/face/delete", "/api/admin/face/{id}", "/api/face/sample/{id}", "/api/face/batch-enroll",
                "/api/face/quality-check", "/api/health");
        assertThat(document.get("paths").propertyNames()).doesNotContain("/error");
        assertThat(document.at("/paths/~1api~1face~1delete").has("delete")).isTrue();
        assertThat(document.at("/paths/~1api~1face~1sample~1{id}").has("delete")).isTrue();
        assertThat(document.at("/paths/~1api~1face~1list~1{personType}/get/parameters").findValuesAsString("name"))
                .contains("page", "page_size", "per_sample");
        assertThat(document.at("/paths/~1api~1face~1enroll/post/requestBody/content").propertyNames())
                .contains("application/json", "multipart/form-data");
    }

    @Test
    void theDocumentedFieldsAreTheSnakeCaseNamesClientsSend() {
        JsonNode schemas = get("/api/openapi.json").json().at("/components/schemas");

        assertThat(schemas.at("/Enroll/properties").propertyNames())
                .containsExactlyInAnyOrder("person_type", "person_code", "person_name", "image_base64", "original_name",
                        "allow_duplicate", "allow_mismatch");
        assertThat(schemas.at("/Recognized/properties").propertyNames())
                .contains("success", "match", "processing_time_ms");
    }

    @Test
    void theBrowsableDocsPageIsServed() {
        HttpAnswer docs = get("/api/docs");
        HttpAnswer page = docs.status() / 100 == 3
                ? send(request(URI.create(docs.header("Location")).getPath()).GET())
                : docs;

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).containsIgnoringCase("swagger-ui");
    }

    @Test
    void theServerUrlIsTheDocumentsOwnOriginNeverTheHostHeader() throws Exception {
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/openapi.json HTTP/1.1\r\nHost: evil.example:666\r\n"
                    + "X-Forwarded-Host: evil.example\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode later = get("/api/openapi.json").json();

        assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContain("evil.example");
        assertThat(later.at("/servers/0/url").asString()).isEqualTo("/");
        assertThat(later.get("servers").size()).isEqualTo(1);
    }
}

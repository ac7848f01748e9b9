package io.rollcall.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.json.Json;
import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One HTTP response as the tests look at it: status, headers and the body as text and as JSON. */
public record HttpAnswer(int status, HttpHeaders headers, String body) {

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    public String contentType() {
        return header("Content-Type");
    }

    /** The body as JSON, after checking it is JSON. */
    public ObjectNode json() {
        assertThat(contentType()).as("Content-Type of %s", body).startsWith("application/json");
        JsonNode node = Json.MAPPER.readTree(body);
        assertThat(node.isObject()).as("body is a JSON object: %s", body).isTrue();
        return (ObjectNode) node;
    }

    /**
     * Checks the requirements' error envelope, {@code {success:false, error_code, message, details{suggestion, ...},
     * request_id}}, with the code's documented status, and returns its details.
     */
    public ObjectNode assertError(int expectedStatus, ErrorCode code) {
        assertThat(code.httpStatus()).as("documented status of %s", code).isEqualTo(expectedStatus);
        assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
        ObjectNode json = json();
        assertThat(json.propertyNames()).containsExactlyInAnyOrder("success", "error_code", "message", "details", "request_id");
        assertThat(json.get("success").asBoolean()).isFalse();
        assertThat(json.get("error_code").asString()).isEqualTo(code.name());
        assertThat(json.get("message").asString()).isNotBlank();
        assertThat(json.get("request_id").asString()).isEqualTo(header("X-Request-Id")).isNotBlank();
        ObjectNode details = (ObjectNode) json.get("details");
        assertThat(details.get("suggestion").asString()).isEqualTo(code.suggestion());
        return details;
    }

    /** A 400 {@code VALIDATION_ERROR} naming {@code field}. */
    public ObjectNode assertValidationError(String field) {
        ObjectNode details = assertError(400, ErrorCode.VALIDATION_ERROR);
        assertThat(details.path("field").asString()).as("details.field of %s", body).isEqualTo(field);
        return details;
    }

    public String message() {
        return json().get("message").asString();
    }
}

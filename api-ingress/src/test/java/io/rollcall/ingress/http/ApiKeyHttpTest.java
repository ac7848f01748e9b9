package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.StatusResult;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "ingress.env.API_KEYS=first-key, second-key")
class ApiKeyHttpTest extends IngressHttpTest {

    @BeforeEach
    void workerAnswersEverything() {
        gateway.answer(command -> command instanceof io.rollcall.schemas.StatusCommand
                ? StatusResult.newBuilder().setModelPack("buffalo_l").setModelLoaded(true).setEnrolledFaces(0)
                        .setEnrolledPersons(0).setSimilarityThreshold(0.6).setDatabaseOk(true).build()
                : ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build());
    }

    @Test
    void aCallWithoutAKeyIsUnauthorized() {
        HttpAnswer answer = get("/api/face/list/all");

        answer.assertError(401, ErrorCode.UNAUTHORIZED);
        assertThat(answer.message()).isEqualTo("An API key is required");
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aWrongKeyIsUnauthorized() {
        HttpAnswer answer = get("/api/face/list/all", "Authorization", "Bearer not-a-key");

        answer.assertError(401, ErrorCode.UNAUTHORIZED);
        assertThat(answer.message()).isEqualTo("The API key is not valid");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aWrongKeyInXApiKeyIsUnauthorized() {
        get("/api/face/list/all", "X-API-Key", "first-key-but-longer").assertError(401, ErrorCode.UNAUTHORIZED);
    }

    @Test
    void aBearerKeyIsAccepted() {
        assertThat(get("/api/face/list/all", "Authorization", "Bearer first-key").status()).isEqualTo(200);
    }

    @Test
    void anyConfiguredKeyIsAccepted() {
        assertThat(get("/api/face/list/all", "Authorization", "bearer second-key").status()).isEqualTo(200);
    }

    @Test
    void anXApiKeyHeaderIsAccepted() {
        assertThat(get("/api/face/list/all", "X-API-Key", "second-key").status()).isEqualTo(200);
        assertThat(gateway.calls()).hasSize(1);
    }

    @Test
    void healthNeedsNoKey() {
        assertThat(get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void theApiDocumentationNeedsAKeyLikeTheApiItDescribes() {
        for (String path : List.of("/api/openapi.json", "/api/docs", "/api/swagger-ui/index.html", "/api/swagger-ui/swagger-ui.css")) {
            HttpAnswer answer = get(path);

            answer.assertError(401, ErrorCode.UNAUTHORIZED);
            assertThat(answer.message()).as(path).isEqualTo("An API key is required");
        }
    }

    @Test
    void withAKeyTheApiDocumentationIsServed() {
        HttpAnswer docs = get("/api/docs", "X-API-Key", "first-key");
        String page = docs.status() / 100 == 3 ? docs.header("Location") : "/api/docs";

        assertThat(get("/api/openapi.json", "X-API-Key", "first-key").status()).isEqualTo(200);
        assertThat(get(page, "X-API-Key", "first-key").status()).isEqualTo(200);
        assertThat(get(page.substring(0, page.lastIndexOf('/') + 1) + "swagger-ui.css", "X-API-Key", "first-key").status())
                .isEqualTo(200);
    }

    @Test
    void theApiDocumentationOffersBothWaysOfSendingAKey() {
        var schemes = get("/api/openapi.json", "Authorization", "Bearer second-key").json().at("/components/securitySchemes");

        assertThat(schemes.at("/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.at("/api_key/name").asString()).isEqualTo("X-API-Key");
    }

    @Test
    void aValidBearerKeyIsEnoughWhateverXApiKeySays() {
        HttpAnswer answer = get("/api/face/list/all", "X-API-Key", "stale-key", "Authorization", "Bearer first-key");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(gateway.calls()).hasSize(1);
    }

    @Test
    void aValidXApiKeyIsEnoughWhateverTheBearerSays() {
        HttpAnswer answer = get("/api/face/list/all", "X-API-Key", "second-key", "Authorization", "Bearer stale-key");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void twoWrongKeysAreStillUnauthorized() {
        HttpAnswer answer = get("/api/face/list/all", "X-API-Key", "stale-key", "Authorization", "Bearer other-key");

        answer.assertError(401, ErrorCode.UNAUTHORIZED);
        assertThat(answer.message()).isEqualTo("The API key is not valid");
        assertThat(gateway.calls()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/face/enroll", "/api/face/delete", "/api/nothing-here", "/nothing-here"})
    void anOptionsRequestWithoutAKeyIsRefusedAlikeOnEveryPath(String path) {
        HttpAnswer answer = send("OPTIONS", path, java.net.http.HttpRequest.BodyPublishers.noBody());

        answer.assertError(401, ErrorCode.UNAUTHORIZED);
        assertThat(answer.header("Allow")).isNull();
        assertThat(answer.message()).isEqualTo("An API key is required");
    }

    @Test
    void metricsAreNotServedOnTheApiPortEvenWithAKey() {
        get("/actuator/prometheus").assertError(401, ErrorCode.UNAUTHORIZED);
        get("/actuator/prometheus", "X-API-Key", "first-key").assertError(404, ErrorCode.NOT_FOUND);
        get("/actuator/health", "X-API-Key", "first-key").assertError(404, ErrorCode.NOT_FOUND);
    }

    @Test
    void errorsAfterAuthenticationAreStillTheEnvelope() {
        postJson("/api/face/recognize", "{}", "X-API-Key", "first-key").assertValidationError("image_base64");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/%61pi/face/list/all", "/api/face/list/%61ll", "/api/health/../face/list/all",
            "/api/health;x=1/../face/list/all", "//api/face/list/all", "/actuator/../api/face/list/all"})
    void noSpellingOfAPathSkipsTheKeyCheck(String path) {
        HttpAnswer answer = get(path);

        assertThat(answer.status()).as("%s answered %s", path, answer.body()).isIn(400, 401, 404);
        assertThat(gateway.calls()).isEmpty();
    }
}

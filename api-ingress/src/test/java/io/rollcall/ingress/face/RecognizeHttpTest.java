package io.rollcall.ingress.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.json.Json;
import io.rollcall.schemas.AttendanceOutcome;
import io.rollcall.schemas.AttendanceStatus;
import io.rollcall.schemas.Match;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.schemas.RecognizeResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

class RecognizeHttpTest extends IngressHttpTest {

    private static final String SCAN = """
            {"image_base64": "%s", "source_image_name": "attendance_scan.jpg"}""".formatted(JPEG_DATA_URL);

    private static Match johnDoe() {
        return Match.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001").setPersonName("John Doe")
                .setFaceDataId(77).setConfidence(0.89).setSimilarityScore(0.92).build();
    }

    @Test
    void noMatchIsSuccessWithAnExplicitNullMatch() {
        gateway.answer(RecognizeResult.newBuilder().setMatch(null).build());

        HttpAnswer answer = postJson("/api/face/recognize", SCAN);

        assertThat(answer.status()).isEqualTo(200);
        ObjectNode json = answer.json();
        assertThat(json.propertyNames()).containsExactly("success", "match", "processing_time_ms");
        assertThat(json.get("success").asBoolean()).isTrue();
        assertThat(json.get("match").isNull()).isTrue();
        assertThat(json.get("processing_time_ms").isIntegralNumber()).isTrue();
        assertThat(json.get("processing_time_ms").asLong()).isNotNegative();
    }

    @Test
    void aMatchIsTheRequirementsMatchObject() {
        gateway.answer(RecognizeResult.newBuilder().setMatch(johnDoe()).build());

        ObjectNode json = postJson("/api/face/recognize", SCAN).json();

        assertThat(json.get("match")).isEqualTo(Json.MAPPER.readTree("""
                {"person_type": "student", "person_code": "S001", "person_name": "John Doe",
                 "confidence": 0.89, "similarity_score": 0.92}"""));
        assertThat(json.has("attendance")).isFalse();
    }

    @Test
    void aTeacherMatchNamesTheTypeInLowerCase() {
        gateway.answer(RecognizeResult.newBuilder().setMatch(Match.newBuilder().setPersonType(PersonType.TEACHER)
                .setPersonCode("T9").setPersonName(null).setFaceDataId(5).setConfidence(0.7).setSimilarityScore(0.65)
                .build()).build());

        ObjectNode match = (ObjectNode) postJson("/api/face/recognize", SCAN).json().get("match");

        assertThat(match.get("person_type").asString()).isEqualTo("teacher");
        assertThat(match.get("person_code").asString()).isEqualTo("T9");
        assertThat(match.get("person_name").isNull()).isTrue();
    }

    @Test
    void attendanceRecordedByTheWorkerIsReported() {
        gateway.answer(RecognizeResult.newBuilder().setMatch(johnDoe()).setAttendance(AttendanceOutcome.newBuilder()
                .setSessionId(12).setStatus(AttendanceStatus.LATE).setNewlyRecorded(true)
                .setRecordedAt(Instant.parse("2024-01-15T08:05:30.250Z")).build()).build());

        ObjectNode json = postJson("/api/face/recognize", """
                {"image_base64": "%s", "session_id": 12}""".formatted(JPEG_DATA_URL)).json();

        assertThat(json.get("attendance")).isEqualTo(Json.MAPPER.readTree("""
                {"session_id": 12, "status": "Late", "newly_recorded": true, "recorded_at": "2024-01-15T09:05:30+01:00"}"""));
    }

    @Test
    void handsTheWorkersTheImageFilterThresholdSourceAndSession() {
        gateway.answer(RecognizeResult.newBuilder().build());

        postJson("/api/face/recognize", """
                {"image_base64": "%s", "person_type": "teacher", "similarity_threshold": 0.7,
                 "source_image_name": "attendance_scan.jpg", "session_id": 12}""".formatted(JPEG_DATA_URL));

        RecognizeCommand command = gateway.onlyCommand(RecognizeCommand.class);
        assertThat(command.getImage()).isEqualTo(ByteBuffer.wrap(JPEG));
        assertThat(command.getPersonType()).isEqualTo(PersonType.TEACHER);
        assertThat(command.getSimilarityThreshold()).isEqualTo(0.7);
        assertThat(command.getSourceImageName()).isEqualTo("attendance_scan.jpg");
        assertThat(command.getSessionId()).isEqualTo(12);
    }

    @Test
    void optionalFieldsLeftOutLeaveTheWorkerDefaults() {
        gateway.answer(RecognizeResult.newBuilder().build());

        postJson("/api/face/recognize", "{\"image_base64\": \"%s\"}".formatted(JPEG_DATA_URL));

        RecognizeCommand command = gateway.onlyCommand(RecognizeCommand.class);
        assertThat(command.getPersonType()).isNull();
        assertThat(command.getSimilarityThreshold()).isNull();
        assertThat(command.getSourceImageName()).isNull();
        assertThat(command.getSessionId()).isNull();
    }

    @Test
    void personTypeAllMeansBothTypes() {
        gateway.answer(RecognizeResult.newBuilder().build());

        postJson("/api/face/recognize", "{\"image_base64\": \"%s\", \"person_type\": \"all\"}".formatted(JPEG_DATA_URL));

        assertThat(gateway.onlyCommand(RecognizeCommand.class).getPersonType()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/face/recognize", "/api/face/recognize-group"})
    void aThresholdBelowTheFloorIsRefusedNamingTheFloor(String path) {
        HttpAnswer answer = postJson(path, "{\"image_base64\": \"%s\", \"similarity_threshold\": 0.0001}".formatted(JPEG_DATA_URL));

        ObjectNode details = answer.assertValidationError("similarity_threshold");
        assertThat(details.get("minimum").asDouble()).isEqualTo(0.3);
        assertThat(answer.message()).isEqualTo("similarity_threshold must be at least 0.3 (MIN_SIMILARITY_THRESHOLD):"
                + " lower thresholds match strangers to enrolled people, got 1.0E-4");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aThresholdAtTheFloorIsAccepted() {
        gateway.answer(RecognizeResult.newBuilder().build());

        HttpAnswer answer = postJson("/api/face/recognize", "{\"image_base64\": \"%s\", \"similarity_threshold\": 0.3}".formatted(JPEG_DATA_URL));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(gateway.onlyCommand(RecognizeCommand.class).getSimilarityThreshold()).isEqualTo(0.3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "similarity_threshold|\"similarity_threshold\": \"high\"",
            "similarity_threshold|\"similarity_threshold\": 0",
            "similarity_threshold|\"similarity_threshold\": 1.5",
            "similarity_threshold|\"similarity_threshold\": -0.2",
            "session_id|\"session_id\": \"x\"",
            "session_id|\"session_id\": -1",
            "session_id|\"session_id\": 0",
            "session_id|\"session_id\": 99999999999",
            "session_id|\"session_id\": 1.5",
            "session_id|\"session_id\": [1]",
            "person_type|\"person_type\": \"staff\"",
            "source_image_name|\"source_image_name\": \"LONG\"",
    })
    void refusesAnInvalidFieldNamingItAndSendsNothing(String fieldAndJson) {
        String[] parts = fieldAndJson.split("\\|", 2);
        String body = "{\"image_base64\": \"%s\", %s}".formatted(JPEG_DATA_URL, parts[1].replace("LONG", "f".repeat(256)));

        HttpAnswer answer = postJson("/api/face/recognize", body);

        answer.assertValidationError(parts[0]);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void missingImageNamesTheImageField() {
        postJson("/api/face/recognize", "{\"person_type\": \"student\"}").assertValidationError("image_base64");
        assertThat(gateway.calls()).isEmpty();
    }

    static Stream<Arguments> workerErrors() {
        return Stream.of(
                Arguments.of(ErrorCode.NO_FACE_DETECTED, 422),
                Arguments.of(ErrorCode.MODEL_NOT_LOADED, 503),
                Arguments.of(ErrorCode.PERSON_NOT_FOUND, 404),
                Arguments.of(ErrorCode.DATABASE_ERROR, 503),
                Arguments.of(ErrorCode.REQUEST_TIMEOUT, 504),
                Arguments.of(ErrorCode.SERVICE_UNAVAILABLE, 503));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("workerErrors")
    void aWorkerErrorKeepsItsCodeStatusMessageAndDetails(ErrorCode code, int status) {
        gateway.fail(new RollcallException(code, "what the worker said about " + code, Map.of("hint", "worker detail", "count", 3)));

        HttpAnswer answer = postJson("/api/face/recognize", SCAN);

        ObjectNode details = answer.assertError(status, code);
        assertThat(answer.message()).isEqualTo("what the worker said about " + code);
        assertThat(details.get("hint").asString()).isEqualTo("worker detail");
        assertThat(details.get("count").asInt()).isEqualTo(3);
    }
}

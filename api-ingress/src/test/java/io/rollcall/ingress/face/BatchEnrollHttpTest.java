package io.rollcall.ingress.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.FakeFaceGateway;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.TestIngressSettings;
import io.rollcall.json.Json;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.EnrollResult;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchEnrollHttpTest extends IngressHttpTest {

    private static String item(String code) {
        return """
                {"person_type": "student", "person_code": "%s", "person_name": "Student %s", "image_base64": "%s"}"""
                .formatted(code, code, JPEG_DATA_URL);
    }

    /** The worker enrolls everyone, numbering samples by person code, except S002 whose photo has no face. */
    private void workerEnrollsAllButS002() {
        gateway.answer(command -> {
            EnrollCommand enroll = (EnrollCommand) command;
            if (enroll.getPersonCode().equals("S002")) {
                throw new RollcallException(ErrorCode.NO_FACE_DETECTED, "No face detected in the provided image");
            }
            return EnrollResult.newBuilder().setPersonType(enroll.getPersonType()).setPersonCode(enroll.getPersonCode())
                    .setEmbeddingId(1000 + Integer.parseInt(enroll.getPersonCode().substring(1))).setSamples(1).build();
        });
    }

    @Test
    void oneValidAndTwoInvalidItemsAreReportedOneByOneInOrder() {
        workerEnrollsAllButS002();

        HttpAnswer answer = postJson("/api/face/batch-enroll", """
                {"enrollments": [%s, %s, %s]}""".formatted(
                item("S001"),
                "{\"person_type\": \"staff\", \"person_code\": \"X1\", \"person_name\": \"X\", \"image_base64\": \"%s\"}".formatted(JPEG_DATA_URL),
                "{\"person_type\": \"student\", \"person_code\": \"S003\", \"person_name\": \"S\", \"image_base64\": \"!!!\"}"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Json.MAPPER.readTree("""
                {"success": true,
                 "results": [
                   {"person_code": "S001", "success": true, "message": "Enrolled", "embedding_id": 1001},
                   {"person_code": "X1", "success": false,
                    "message": "person_type must be 'student' or 'teacher', got 'staff'", "error_code": "VALIDATION_ERROR"},
                   {"person_code": "S003", "success": false,
                    "message": "image_base64: invalid base64: unexpected character U+0021 at position 0", "error_code": "INVALID_IMAGE"}],
                 "summary": {"total": 3, "successful": 1, "failed": 2}}"""));
        assertThat(gateway.onlyCommand(EnrollCommand.class).getPersonCode()).isEqualTo("S001");
    }

    @Test
    void aWorkerFailureFailsOnlyItsOwnItem() {
        workerEnrollsAllButS002();

        HttpAnswer answer = postJson("/api/face/batch-enroll", """
                {"enrollments": [%s, %s, %s]}""".formatted(item("S001"), item("S002"), item("S003")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("results")).isEqualTo(Json.MAPPER.readTree("""
                [{"person_code": "S001", "success": true, "message": "Enrolled", "embedding_id": 1001},
                 {"person_code": "S002", "success": false, "message": "No face detected in the provided image",
                  "error_code": "NO_FACE_DETECTED"},
                 {"person_code": "S003", "success": true, "message": "Enrolled", "embedding_id": 1003}]"""));
        assertThat(answer.json().get("summary")).isEqualTo(Json.MAPPER.readTree("""
                {"total": 3, "successful": 2, "failed": 1}"""));
        assertThat(gateway.calls()).hasSize(3).allSatisfy(call -> {
            EnrollCommand command = (EnrollCommand) call.command();
            assertThat(command.getImage()).isEqualTo(ByteBuffer.wrap(JPEG));
            assertThat(command.getContentType()).isEqualTo("image/jpeg");
        });
    }

    @Test
    void anUnexpectedFailureOfOneItemDoesNotFailTheBatch() {
        gateway.answer(command -> {
            if (((EnrollCommand) command).getPersonCode().equals("S002")) {
                throw new IllegalStateException("boom");
            }
            return EnrollResult.newBuilder().setPersonType(((EnrollCommand) command).getPersonType())
                    .setPersonCode(((EnrollCommand) command).getPersonCode()).setEmbeddingId(1).setSamples(1).build();
        });

        HttpAnswer answer = postJson("/api/face/batch-enroll", """
                {"enrollments": [%s, %s]}""".formatted(item("S001"), item("S002")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("results").get(1)).isEqualTo(Json.MAPPER.readTree("""
                {"person_code": "S002", "success": false, "message": "Internal error", "error_code": "INTERNAL_ERROR"}"""));
        assertThat(answer.json().get("summary").get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void aNullItemFailsOnItsOwn() {
        workerEnrollsAllButS002();

        HttpAnswer answer = postJson("/api/face/batch-enroll", "{\"enrollments\": [null, %s]}".formatted(item("S001")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("results").get(0)).isEqualTo(Json.MAPPER.readTree("""
                {"success": false, "message": "an enrollment must be a JSON object, not null", "error_code": "VALIDATION_ERROR"}"""));
        assertThat(answer.json().get("results").get(1).get("success").asBoolean()).isTrue();
    }

    @Test
    void batchAllowDuplicateAppliesToEveryItem() {
        workerEnrollsAllButS002();

        postJson("/api/face/batch-enroll", "{\"allow_duplicate\": true, \"enrollments\": [%s]}".formatted(item("S001")));

        assertThat(gateway.onlyCommand(EnrollCommand.class).getAllowDuplicate()).isTrue();
    }

    @Test
    void eachItemCarriesTheRequestIdAndItsPosition() {
        workerEnrollsAllButS002();

        postJson("/api/face/batch-enroll", "{\"enrollments\": [%s, %s]}".formatted(item("S001"), item("S003")),
                "X-Request-Id", "batch-7");

        assertThat(gateway.calls()).extracting(FakeFaceGateway.Call::requestId)
                .containsExactlyInAnyOrder("batch-7-1", "batch-7-2");
    }

    @Test
    void anEmptyBatchIsRefused() {
        postJson("/api/face/batch-enroll", "{\"enrollments\": []}").assertValidationError("enrollments");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aBatchWithoutEnrollmentsIsRefused() {
        postJson("/api/face/batch-enroll", "{}").assertValidationError("enrollments");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aBatchOverTheItemLimitIsRefusedWhole() {
        String items = IntStream.rangeClosed(1, TestIngressSettings.MAX_BATCH_ITEMS + 1)
                .mapToObj(i -> item("S00" + i)).collect(Collectors.joining(", "));

        HttpAnswer answer = postJson("/api/face/batch-enroll", "{\"enrollments\": [%s]}".formatted(items));

        answer.assertValidationError("enrollments");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aWronglyTypedItemFieldIsNamedWithItsPosition() {
        postJson("/api/face/batch-enroll", """
                {"enrollments": [%s, {"person_type": "student", "person_code": "S9", "allow_duplicate": "maybe"}]}"""
                .formatted(item("S001"))).assertValidationError("enrollments[1].allow_duplicate");
        assertThat(gateway.calls()).isEmpty();
    }
}

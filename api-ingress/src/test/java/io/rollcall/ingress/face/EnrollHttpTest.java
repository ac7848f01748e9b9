package io.rollcall.ingress.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.Multipart;
import io.rollcall.ingress.TestIngressSettings;
import io.rollcall.json.Json;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.EnrollResult;
import io.rollcall.schemas.PersonType;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnrollHttpTest extends IngressHttpTest {

    private static final String VALID = """
            {"person_type": "student", "person_code": "S001", "person_name": "John Doe",
             "image_base64": "%s", "original_name": "photo.jpg"}""".formatted(JPEG_DATA_URL);

    private void workerEnrolls() {
        gateway.answer(EnrollResult.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001")
                .setPersonName("John Doe").setEmbeddingId(123).setSamples(2).build());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @Test
    void enrollsAStudentAndAnswersWithTheNewSample() {
        workerEnrolls();

        HttpAnswer answer = postJson("/api/face/enroll", VALID);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "message": "Face enrolled successfully", "person_code": "S001",
                 "embedding_id": 123, "samples": 2}"""));
    }

    @Test
    void handsTheWorkersTheDecodedImageAndEveryField() {
        workerEnrolls();

        postJson("/api/face/enroll", VALID);

        EnrollCommand command = gateway.onlyCommand(EnrollCommand.class);
        assertThat(bytes(command.getImage())).isEqualTo(JPEG);
        assertThat(command.getPersonType()).isEqualTo(PersonType.STUDENT);
        assertThat(command.getPersonCode()).isEqualTo("S001");
        assertThat(command.getPersonName()).isEqualTo("John Doe");
        assertThat(command.getOriginalName()).isEqualTo("photo.jpg");
        assertThat(command.getContentType()).isEqualTo("image/jpeg");
        assertThat(command.getAllowDuplicate()).isFalse();
    }

    @Test
    void passesAllowDuplicateAndTheDataUrlsMediaType() {
        workerEnrolls();

        postJson("/api/face/enroll", """
                {"person_type": "teacher", "person_code": "T042", "person_name": "Ada Lovelace",
                 "image_base64": "%s", "allow_duplicate": true}""".formatted(PNG_DATA_URL));

        EnrollCommand command = gateway.onlyCommand(EnrollCommand.class);
        assertThat(command.getPersonType()).isEqualTo(PersonType.TEACHER);
        assertThat(command.getPersonCode()).isEqualTo("T042");
        assertThat(command.getContentType()).isEqualTo("image/png");
        assertThat(command.getOriginalName()).isNull();
        assertThat(command.getAllowDuplicate()).isTrue();
    }

    @Test
    void acceptsPlainBase64WithoutADataUrlPrefix() {
        workerEnrolls();

        HttpAnswer answer = postJson("/api/face/enroll", """
                {"person_type": "student", "person_code": "S001", "person_name": "John Doe", "image_base64": "%s"}"""
                .formatted(JPEG_BASE64));

        assertThat(answer.status()).isEqualTo(200);
        EnrollCommand command = gateway.onlyCommand(EnrollCommand.class);
        assertThat(bytes(command.getImage())).isEqualTo(JPEG);
        assertThat(command.getContentType()).isNull();
    }

    @Test
    void aDataUrlAfterLeadingWhitespaceStillGivesItsMediaType() {
        workerEnrolls();

        postJson("/api/face/enroll", """
                {"person_type": "student", "person_code": "S001", "person_name": "John Doe", "image_base64": "\\n %s"}"""
                .formatted(PNG_DATA_URL));

        assertThat(gateway.onlyCommand(EnrollCommand.class).getContentType()).isEqualTo("image/png");
    }

    @Test
    void nodeJsRegisterPathEnrollsTheSameWay() {
        workerEnrolls();

        HttpAnswer answer = postJson("/api/face/register", VALID);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("embedding_id").asLong()).isEqualTo(123);
        EnrollCommand command = gateway.onlyCommand(EnrollCommand.class);
        assertThat(bytes(command.getImage())).isEqualTo(JPEG);
        assertThat(command.getPersonCode()).isEqualTo("S001");
    }

    @Test
    void enrollsAPhotoUploadedAsAFormFile() {
        workerEnrolls();
        Multipart form = new Multipart()
                .field("person_type", "student")
                .field("person_code", "S001")
                .field("person_name", "John Doe")
                .field("allow_duplicate", "true")
                .file("file", "portrait.jpg", "image/jpeg", JPEG);

        HttpAnswer answer = send(request("/api/face/enroll").POST(BodyPublishers.ofByteArray(form.bytes())),
                "Content-Type", form.contentType());

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("person_code").asString()).isEqualTo("S001");
        EnrollCommand command = gateway.onlyCommand(EnrollCommand.class);
        assertThat(bytes(command.getImage())).isEqualTo(JPEG);
        assertThat(command.getPersonType()).isEqualTo(PersonType.STUDENT);
        assertThat(command.getPersonName()).isEqualTo("John Doe");
        assertThat(command.getOriginalName()).isEqualTo("portrait.jpg");
        assertThat(command.getContentType()).isEqualTo("image/jpeg");
        assertThat(command.getAllowDuplicate()).isTrue();
    }

    @Test
    void formUploadMayNameItsFileImage() {
        workerEnrolls();
        Multipart form = new Multipart().field("person_type", "teacher").field("person_code", "T001")
                .field("person_name", "Ada Lovelace")
                .file("image", "scan.bin", "application/octet-stream", JPEG);

        HttpAnswer answer = send(request("/api/face/register").POST(BodyPublishers.ofByteArray(form.bytes())),
                "Content-Type", form.contentType());

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        EnrollCommand command = gateway.onlyCommand(EnrollCommand.class);
        assertThat(bytes(command.getImage())).isEqualTo(JPEG);
        assertThat(command.getPersonType()).isEqualTo(PersonType.TEACHER);
        assertThat(command.getOriginalName()).isEqualTo("scan.bin");
        assertThat(command.getContentType()).as("not an image media type, so not stored").isNull();
        assertThat(command.getAllowDuplicate()).isFalse();
    }

    @Test
    void formUploadWithAnInvalidFieldNamesIt() {
        Multipart form = new Multipart().field("person_type", "staff").field("person_code", "S001")
                .field("person_name", "John Doe").file("file", "portrait.jpg", "image/jpeg", JPEG);

        send(request("/api/face/enroll").POST(BodyPublishers.ofByteArray(form.bytes())), "Content-Type", form.contentType())
                .assertValidationError("person_type");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void formUploadWithoutAFileNamesTheFileField() {
        Multipart form = new Multipart().field("person_type", "student").field("person_code", "S001")
                .field("person_name", "John Doe");

        HttpAnswer answer = send(request("/api/face/enroll").POST(BodyPublishers.ofByteArray(form.bytes())),
                "Content-Type", form.contentType());

        answer.assertValidationError("file");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void formUploadLargerThanTheImageLimitIsRefused() {
        Multipart form = new Multipart().field("person_type", "student").field("person_code", "S001")
                .field("person_name", "John Doe")
                .file("file", "huge.jpg", "image/jpeg", new byte[(int) TestIngressSettings.MAX_IMAGE_BYTES + 1]);

        HttpAnswer answer = send(request("/api/face/enroll").POST(BodyPublishers.ofByteArray(form.bytes())),
                "Content-Type", form.contentType());

        answer.assertError(413, ErrorCode.IMAGE_TOO_LARGE);
        assertThat(gateway.calls()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "person_code|{\"person_type\": \"student\", \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\"}",
            "person_code|{\"person_type\": \"student\", \"person_code\": \"\", \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\"}",
            "person_code|{\"person_type\": \"student\", \"person_code\": \"S0123456789\", \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\"}",
            "person_type|{\"person_type\": \"staff\", \"person_code\": \"S001\", \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\"}",
            "person_type|{\"person_code\": \"S001\", \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\"}",
            "person_name|{\"person_type\": \"student\", \"person_code\": \"S001\", \"person_name\": \"LONG_NAME\", \"image_base64\": \"IMAGE\"}",
            "image_base64|{\"person_type\": \"student\", \"person_code\": \"S001\", \"person_name\": \"John Doe\"}",
            "original_name|{\"person_type\": \"student\", \"person_code\": \"S001\", \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\", \"original_name\": \"a\\nb.jpg\"}",
            "allow_duplicate|{\"person_type\": \"student\", \"person_code\": \"S001\", \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\", \"allow_duplicate\": \"perhaps\"}",
            "person_code|{\"person_type\": \"student\", \"person_code\": {\"nested\": 1}, \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\"}",
            "person_code|{\"person_type\": \"student\", \"person_code\": \"S001\\u00a0\", \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\"}",
            "person_code|{\"person_type\": \"student\", \"person_code\": \"S0\\u200b01\", \"person_name\": \"John Doe\", \"image_base64\": \"IMAGE\"}",
            "person_name|{\"person_type\": \"student\", \"person_code\": \"S001\", \"person_name\": \"John \\u202eeoD\", \"image_base64\": \"IMAGE\"}",
            "person_name|{\"person_type\": \"student\", \"person_code\": \"S001\", \"person_name\": \"John\\u2028Doe\", \"image_base64\": \"IMAGE\"}",
    })
    void refusesAnInvalidFieldNamingItAndSendsNothing(String fieldAndBody) {
        String[] parts = fieldAndBody.split("\\|", 2);
        String body = parts[1].replace("IMAGE", JPEG_DATA_URL).replace("LONG_NAME", "n".repeat(201));

        HttpAnswer answer = postJson("/api/face/enroll", body);

        answer.assertValidationError(parts[0]);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aFormUploadFollowsTheSameTextRules() {
        Multipart form = new Multipart().field("person_type", "student").field("person_code", "S001\u00A0")
                .field("person_name", "John Doe").file("file", "portrait.jpg", "image/jpeg", JPEG);
        Multipart name = new Multipart().field("person_type", "student").field("person_code", "S001")
                .field("person_name", "John \u202EeoD").file("file", "portrait.jpg", "image/jpeg", JPEG);

        send(request("/api/face/enroll").POST(BodyPublishers.ofByteArray(form.bytes())), "Content-Type", form.contentType())
                .assertValidationError("person_code");
        send(request("/api/face/enroll").POST(BodyPublishers.ofByteArray(name.bytes())), "Content-Type", name.contentType())
                .assertValidationError("person_name");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void theWorkersReceiveCodesAndNamesInNfc() {
        workerEnrolls();

        HttpAnswer answer = postJson("/api/face/enroll", """
                {"person_type": "student", "person_code": "Ame\u0301lie", "person_name": "Zoe\u0308 Ame\u0301lie", "image_base64": "%s"}"""
                .formatted(JPEG_DATA_URL));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        EnrollCommand command = gateway.onlyCommand(EnrollCommand.class);
        assertThat(command.getPersonCode()).isEqualTo("Am\u00E9lie");
        assertThat(command.getPersonName()).isEqualTo("Zo\u00EB Am\u00E9lie");
    }

    @Test
    void acceptsANameOfExactlyTwoHundredCharactersAndACodeOfTen() {
        workerEnrolls();

        HttpAnswer answer = postJson("/api/face/enroll", """
                {"person_type": "student", "person_code": "S012345678", "person_name": "%s", "image_base64": "%s"}"""
                .formatted("n".repeat(200), JPEG_DATA_URL));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(gateway.onlyCommand(EnrollCommand.class).getPersonCode()).isEqualTo("S012345678");
    }

    @Test
    void malformedJsonIsAValidationErrorOfTheBody() {
        HttpAnswer answer = postJson("/api/face/enroll", "{\"person_type\": \"student\", ");

        answer.assertValidationError("body");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void missingBodyIsAValidationErrorOfTheBody() {
        HttpAnswer answer = send(request("/api/face/enroll").POST(BodyPublishers.noBody()), "Content-Type", "application/json");

        answer.assertValidationError("body");
        assertThat(answer.message()).isEqualTo("Request body is missing");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aJsonArrayInsteadOfAnObjectIsAValidationErrorThatHidesJavaTypes() {
        HttpAnswer answer = postJson("/api/face/enroll", "[1, 2]");

        answer.assertValidationError("body");
        assertThat(answer.message()).doesNotContain("io.rollcall").doesNotContain("FaceRequests");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void textThatIsNotBase64IsAnInvalidImage() {
        HttpAnswer answer = postJson("/api/face/enroll", """
                {"person_type": "student", "person_code": "S001", "person_name": "John Doe", "image_base64": "not base64 at all!"}""");

        var details = answer.assertError(400, ErrorCode.INVALID_IMAGE);
        assertThat(details.get("field").asString()).isEqualTo("image_base64");
        assertThat(details.get("position").asInt()).as("the first character that is not base64: '!'").isEqualTo(17);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aTextDataUrlIsAnInvalidImage() {
        String text = "data:text/plain;base64," + Base64.getEncoder().encodeToString("hello".getBytes());

        HttpAnswer answer = postJson("/api/face/enroll", """
                {"person_type": "student", "person_code": "S001", "person_name": "John Doe", "image_base64": "%s"}"""
                .formatted(text));

        assertThat(answer.assertError(400, ErrorCode.INVALID_IMAGE).get("media_type").asString()).isEqualTo("text/plain");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void anImageOverTheLimitIsTooLarge() {
        String big = Base64.getEncoder().encodeToString(new byte[(int) TestIngressSettings.MAX_IMAGE_BYTES + 1]);

        HttpAnswer answer = postJson("/api/face/enroll", """
                {"person_type": "student", "person_code": "S001", "person_name": "John Doe", "image_base64": "%s"}"""
                .formatted(big));

        var details = answer.assertError(413, ErrorCode.IMAGE_TOO_LARGE);
        assertThat(details.get("limit").asLong()).isEqualTo(TestIngressSettings.MAX_IMAGE_BYTES);
        assertThat(details.get("field").asString()).isEqualTo("image_base64");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void anImageOfExactlyTheLimitIsAccepted() {
        workerEnrolls();
        String exact = Base64.getEncoder().encodeToString(new byte[(int) TestIngressSettings.MAX_IMAGE_BYTES]);

        HttpAnswer answer = postJson("/api/face/enroll", """
                {"person_type": "student", "person_code": "S001", "person_name": "John Doe", "image_base64": "%s"}"""
                .formatted(exact));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void plainTextContentTypeIsRefusedWithTheEnvelope() {
        HttpAnswer answer = send(request("/api/face/enroll").POST(BodyPublishers.ofString(VALID)), "Content-Type", "text/plain");

        answer.assertValidationError("Content-Type");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aDuplicateFaceIsAConflictWithTheWorkersDetails() {
        gateway.fail(new RollcallException(ErrorCode.DUPLICATE_ENROLLMENT, "This face is already enrolled as student S777",
                Map.of("person_type", "student", "person_code", "S777", "similarity", 0.91)));

        HttpAnswer answer = postJson("/api/face/enroll", VALID);

        var details = answer.assertError(409, ErrorCode.DUPLICATE_ENROLLMENT);
        assertThat(answer.message()).isEqualTo("This face is already enrolled as student S777");
        assertThat(details.get("person_code").asString()).isEqualTo("S777");
        assertThat(details.get("similarity").asDouble()).isEqualTo(0.91);
    }
}

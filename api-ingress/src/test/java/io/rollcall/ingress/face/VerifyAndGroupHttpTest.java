package io.rollcall.ingress.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.json.Json;
import io.rollcall.schemas.AttendanceOutcome;
import io.rollcall.schemas.AttendanceStatus;
import io.rollcall.schemas.GroupFace;
import io.rollcall.schemas.GroupResult;
import io.rollcall.schemas.Match;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.RecognizeGroupCommand;
import io.rollcall.schemas.VerifyCommand;
import io.rollcall.schemas.VerifyResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class VerifyAndGroupHttpTest extends IngressHttpTest {

    @Test
    void verifyComparesTwoImagesAndReportsTheWorkersVerdict() {
        gateway.answer(VerifyResult.newBuilder().setSamePerson(true).setSimilarity(0.8).setThreshold(0.6).setConfidence(0.75).build());
        byte[] other = {1, 2, 3, 4, 5};

        HttpAnswer answer = postJson("/api/face/verify", """
                {"image1_base64": "%s", "image2_base64": "%s", "similarity_threshold": 0.6}"""
                .formatted(JPEG_DATA_URL, Base64.getEncoder().encodeToString(other)));

        assertThat(answer.status()).isEqualTo(200);
        ObjectNode json = answer.json();
        assertThat(json.remove("processing_time_ms").isIntegralNumber()).isTrue();
        // The worker computes confidence (io.rollcall.recognize.Confidence); the ingress passes it on unchanged.
        assertThat(json).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "same_person": true, "similarity_score": 0.8, "confidence": 0.75, "threshold": 0.6}"""));
        VerifyCommand command = gateway.onlyCommand(VerifyCommand.class);
        assertThat(command.getImageA()).isEqualTo(ByteBuffer.wrap(JPEG));
        assertThat(command.getImageB()).isEqualTo(ByteBuffer.wrap(other));
        assertThat(command.getSimilarityThreshold()).isEqualTo(0.6);
    }

    @Test
    void verifyRefusesAThresholdBelowTheFloor() {
        HttpAnswer answer = postJson("/api/face/verify", """
                {"image1_base64": "%s", "image2_base64": "%s", "similarity_threshold": 0.29}"""
                .formatted(JPEG_DATA_URL, JPEG_DATA_URL));

        assertThat(answer.assertValidationError("similarity_threshold").get("minimum").asDouble()).isEqualTo(0.3);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void verifyWithoutTheSecondImageNamesIt() {
        postJson("/api/face/verify", "{\"image1_base64\": \"%s\"}".formatted(JPEG_DATA_URL)).assertValidationError("image2_base64");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void recognizeGroupReportsEveryFaceWithItsMatchAndAttendance() {
        Match john = Match.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001").setPersonName("John Doe")
                .setFaceDataId(7).setConfidence(0.9).setSimilarityScore(0.8).build();
        GroupFace known = GroupFace.newBuilder().setBbox(List.of(10f, 20f, 110f, 140f)).setScore(0.99f)
                .setKps(List.of()).setMatch(john).setAttendance(AttendanceOutcome.newBuilder().setSessionId(5)
                        .setStatus(AttendanceStatus.PRESENT).setNewlyRecorded(false)
                        .setRecordedAt(Instant.parse("2024-01-15T08:00:00Z")).build()).build();
        GroupFace stranger = GroupFace.newBuilder().setBbox(List.of(200f, 20f, 260f, 100f)).setScore(0.75f)
                .setKps(List.of()).build();
        gateway.answer(GroupResult.newBuilder().setFaces(List.of(known, stranger)).build());

        HttpAnswer answer = postJson("/api/face/recognize-group", """
                {"image_base64": "%s", "person_type": "student", "session_id": 5, "similarity_threshold": 0.5}"""
                .formatted(JPEG_DATA_URL));

        assertThat(answer.status()).isEqualTo(200);
        ObjectNode json = answer.json();
        assertThat(json.remove("processing_time_ms").isIntegralNumber()).isTrue();
        assertThat(json).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "face_count": 2, "recognized_count": 1, "faces": [
                  {"bbox": [10.0, 20.0, 110.0, 140.0], "score": 0.99,
                   "match": {"person_type": "student", "person_code": "S001", "person_name": "John Doe",
                             "confidence": 0.9, "similarity_score": 0.8},
                   "attendance": {"session_id": 5, "status": "Present", "newly_recorded": false,
                                  "recorded_at": "2024-01-15T09:00:00+01:00"}},
                  {"bbox": [200.0, 20.0, 260.0, 100.0], "score": 0.75, "match": null}]}"""));
        RecognizeGroupCommand command = gateway.onlyCommand(RecognizeGroupCommand.class);
        assertThat(command.getImage()).isEqualTo(ByteBuffer.wrap(JPEG));
        assertThat(command.getPersonType()).isEqualTo(PersonType.STUDENT);
        assertThat(command.getSessionId()).isEqualTo(5);
        assertThat(command.getSimilarityThreshold()).isEqualTo(0.5);
    }

    @Test
    void recognizeGroupRefusesABadSessionId() {
        postJson("/api/face/recognize-group", "{\"image_base64\": \"%s\", \"session_id\": -1}".formatted(JPEG_DATA_URL))
                .assertValidationError("session_id");
        assertThat(gateway.calls()).isEmpty();
    }
}

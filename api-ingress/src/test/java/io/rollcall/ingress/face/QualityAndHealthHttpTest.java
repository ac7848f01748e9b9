package io.rollcall.ingress.face;

import io.rollcall.ingress.FakeWorkerRoster;
import io.rollcall.ingress.gateway.WorkerRoster;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.http.SchoolTime;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Autowired;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.FakeFaceGateway;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.json.Json;
import io.rollcall.schemas.HeadPose;
import io.rollcall.schemas.QualityCheckCommand;
import io.rollcall.schemas.QualityResult;
import io.rollcall.schemas.StatusCommand;
import io.rollcall.schemas.StatusResult;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class QualityAndHealthHttpTest extends IngressHttpTest {
    @Autowired
    FakeWorkerRoster roster;
    @Autowired
    IngressSettings settings;
    SchoolTime time;

    @org.junit.jupiter.api.BeforeEach
    void schoolTime() {
        time = settings.schoolTime();
    }

    @Test
    void qualityCheckReportsTheWorkersAssessment() {
        gateway.answer(QualityResult.newBuilder().setScore(0.85).setFaceDetected(true).setFaceCount(1)
                .setFaceSize("adequate").setBrightness("good").setBlurLevel("low")
                .setPose(HeadPose.newBuilder().setYaw(1.5).setPitch(-2.0).setRoll(0.5).build())
                .setRecommendation("suitable_for_enrollment").setFaceWidthPx(180.0).setMeanLuminance(120.5)
                .setSharpness(310.0).setDetectorScore(0.97).build());

        HttpAnswer answer = postJson("/api/face/quality-check", "{\"image_base64\": \"%s\"}".formatted(JPEG_DATA_URL));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "quality": {
                  "score": 0.85, "face_detected": true, "face_count": 1, "face_size": "adequate",
                  "brightness": "good", "blur_level": "low", "pose": {"yaw": 1.5, "pitch": -2.0, "roll": 0.5},
                  "recommendation": "suitable_for_enrollment", "face_width_px": 180.0, "mean_luminance": 120.5,
                  "sharpness": 310.0, "detector_score": 0.97}}"""));
        assertThat(gateway.onlyCommand(QualityCheckCommand.class).getImage()).isEqualTo(ByteBuffer.wrap(JPEG));
    }

    @Test
    void qualityCheckWithoutAFaceSaysSo() {
        gateway.answer(QualityResult.newBuilder().setScore(0).setFaceDetected(false).setFaceCount(0)
                .setRecommendation("no_face_detected").build());

        HttpAnswer answer = postJson("/api/face/quality-check", "{\"image_base64\": \"%s\"}".formatted(JPEG_DATA_URL));

        assertThat(answer.json().get("quality").get("face_detected").asBoolean()).isFalse();
        assertThat(answer.json().get("quality").get("recommendation").asString()).isEqualTo("no_face_detected");
    }

    @Test
    void qualityCheckOfAnInvalidImageIsRefused() {
        postJson("/api/face/quality-check", "{\"image_base64\": \"data:text/html;base64,PGI+\"}")
                .assertError(400, ErrorCode.INVALID_IMAGE);
        assertThat(gateway.calls()).isEmpty();
    }

    private static StatusResult.Builder status() {
        return StatusResult.newBuilder().setModelPack("buffalo_l").setModelLoaded(true).setEnrolledFaces(42)
                .setEnrolledPersons(40).setSimilarityThreshold(0.6).setDatabaseOk(true).setResidentMemoryMb(900L)
                .setGalleryMemoryMb(3L).setDecision("gallery-size threshold for 0.01 of strangers accepted");
    }

    @Test
    void healthyWhenAWorkerAnswersWithItsModelAndDatabase() {
        gateway.answer(status().setGalleryVersion(17L).build());
        roster.reset();
        roster.report(new WorkerRoster.WorkerState("worker-2", Instant.parse("2026-03-02T08:00:05Z"), "buffalo_l", true, true,
                42, 17L, Instant.parse("2026-03-02T08:00:00Z"), 3, null, null));

        HttpAnswer answer = get("/api/health");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Json.MAPPER.readTree("""
                {"status": "healthy", "message": "All systems operational", "enrolled_faces": 42,
                 "model_loaded": true, "similarity_threshold": 0.6,
                 "decision": "gallery-size threshold for 0.01 of strangers accepted", "model_pack": "buffalo_l",
                 "worker": "%s", "kafka": true, "database": true, "resident_memory_mb": 900,
                 "gallery_memory_mb": 3, "gallery_version": 17, "last_reconciled_at": null,
                 "workers": [{"worker_id": "worker-2", "last_seen": "%s", "model_pack": "buffalo_l", "model_loaded": true,
                              "database": true, "enrolled_faces": 42, "gallery_version": 17,
                              "last_reconciled_at": "%s", "last_reconcile_changes": 3}]}"""
                .formatted(FakeFaceGateway.WORKER_ID, time.toSecond(Instant.parse("2026-03-02T08:00:05Z")),
                        time.toSecond(Instant.parse("2026-03-02T08:00:00Z")))));
        assertThat(gateway.onlyCall().command()).isInstanceOf(StatusCommand.class);
    }

    @Test
    void unavailableWhenTheWorkersModelIsNotLoaded() {
        gateway.answer(status().setModelLoaded(false).setModelError("buffalo_l is not installed").build());

        HttpAnswer answer = get("/api/health");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("status").asString()).isEqualTo("degraded");
        assertThat(answer.json().get("model_loaded").asBoolean()).isFalse();
        assertThat(answer.json().get("message").asString()).isEqualTo("Model not loaded: buffalo_l is not installed");
    }

    @Test
    void unavailableWhenTheWorkersDatabaseIsDown() {
        gateway.answer(status().setDatabaseOk(false).build());

        HttpAnswer answer = get("/api/health");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("database").asBoolean()).isFalse();
        assertThat(answer.json().get("message").asString()).isEqualTo("Database unavailable");
    }

    @Test
    void unavailableWhenNoWorkerAnswers() {
        gateway.fail(new RollcallException(ErrorCode.REQUEST_TIMEOUT, "No worker answered within 5000 ms"));

        HttpAnswer answer = get("/api/health");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("status").asString()).isEqualTo("unhealthy");
        assertThat(answer.json().get("model_loaded").asBoolean()).isFalse();
        assertThat(answer.json().get("kafka").asBoolean()).isTrue();
        assertThat(answer.json().get("message").asString()).isEqualTo("No worker answered: No worker answered within 5000 ms");
    }

    @Test
    void unavailableAndSaysSoWhenTheBrokerIsUnreachable() {
        gateway.fail(new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "The request could not be handed to the workers"));

        HttpAnswer answer = get("/api/health");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("kafka").asBoolean()).isFalse();
    }
}

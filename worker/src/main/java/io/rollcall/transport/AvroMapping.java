package io.rollcall.transport;

import io.rollcall.attendance.AttendanceMark;
import io.rollcall.attendance.AttendanceStatus;
import io.rollcall.engine.detect.BoundingBox;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.quality.QualityReport;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.health.WorkerHealth;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.recognize.FaceRecognition.RecognizedFace;
import io.rollcall.schemas.AttendanceOutcome;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.GalleryChangeKind;
import io.rollcall.schemas.HeadPose;
import io.rollcall.schemas.Match;
import io.rollcall.schemas.QualityResult;
import io.rollcall.schemas.StatusResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one place where the wire contract's Avro types and the worker's domain types meet. Everything else in the
 * worker sees only domain types.
 */
final class AvroMapping {
    private AvroMapping() {
    }

    static PersonType domain(io.rollcall.schemas.PersonType type) {
        return type == null ? null : PersonType.valueOf(type.name());
    }

    static io.rollcall.schemas.PersonType wire(PersonType type) {
        return type == null ? null : io.rollcall.schemas.PersonType.valueOf(type.name());
    }

    /** @throws RollcallException {@code VALIDATION_ERROR} for a code that denotes nobody */
    static PersonRef person(io.rollcall.schemas.PersonType type, String code) {
        try {
            return new PersonRef(domain(type), code);
        } catch (IllegalArgumentException e) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "person_code: " + e.getMessage(), Map.of("field", "person_code"));
        }
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    // --- gallery events ---------------------------------------------------------------------------------------

    static GalleryChange change(GalleryEvent event) {
        GalleryChange.Builder b = GalleryChange.newBuilder().setChangeId(UUID.randomUUID().toString())
                .setPersonType(wire(event.person().type())).setPersonCode(event.person().code())
                .setModelPack(event.modelPack()).setOccurredAt(Instant.now()).setRequestId(event.origin());
        return switch (event) {
            case GalleryEvent.SampleAdded a -> b.setKind(GalleryChangeKind.ADDED).setFaceDataId(a.sampleId())
                    .setPersonName(a.personName()).setEmbedding(list(a.embedding())).build();
            case GalleryEvent.SampleRemoved r -> b.setKind(GalleryChangeKind.REMOVED_SAMPLE).setFaceDataId(r.sampleId()).build();
            case GalleryEvent.PersonRemoved r -> b.setKind(GalleryChangeKind.REMOVED_PERSON).build();
        };
    }

    static GalleryEvent event(GalleryChange c) {
        PersonRef person = new PersonRef(domain(c.getPersonType()), c.getPersonCode());
        return switch (c.getKind()) {
            case ADDED -> new GalleryEvent.SampleAdded(c.getFaceDataId(), person, c.getPersonName(), c.getModelPack(),
                    floats(c.getEmbedding()), c.getRequestId());
            case REMOVED_SAMPLE -> new GalleryEvent.SampleRemoved(c.getFaceDataId(), person, c.getModelPack(), c.getRequestId());
            case REMOVED_PERSON -> new GalleryEvent.PersonRemoved(person, c.getModelPack(), c.getRequestId());
        };
    }

    private static float[] floats(List<Float> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }

    private static List<Float> list(float[] values) {
        List<Float> l = new ArrayList<>(values.length);
        for (float f : values) {
            l.add(f);
        }
        return l;
    }

    // --- reply parts ------------------------------------------------------------------------------------------

    static Match match(RecognizedFace face) {
        return face.match().map(m -> Match.newBuilder().setPersonType(wire(m.person().type())).setPersonCode(m.person().code())
                .setPersonName(face.personName()).setFaceDataId(m.sampleId())
                .setConfidence(face.confidence()).setSimilarityScore(round(m.similarity())).build()).orElse(null);
    }

    /**
     * The instant a school-local DATETIME value denotes. Messages carry true instants; the ingress writes them with
     * the school's offset. In the hour a clock goes back, the earlier of the two instants is taken.
     */
    static Instant instant(LocalDateTime schoolTime, ZoneId schoolZone) {
        return schoolTime.atZone(schoolZone).toInstant();
    }

    /** {@code recorded_at}: the instant of this recognition, from its school-local wall-clock time. */
    static AttendanceOutcome attendance(AttendanceMark mark, int sessionId, ZoneId schoolZone) {
        io.rollcall.schemas.AttendanceStatus status = mark.status() == AttendanceStatus.LATE
                ? io.rollcall.schemas.AttendanceStatus.LATE : io.rollcall.schemas.AttendanceStatus.PRESENT;
        return AttendanceOutcome.newBuilder().setSessionId(sessionId).setStatus(status)
                .setNewlyRecorded(mark.newlyRecorded()).setRecordedAt(instant(mark.recognizedAt(), schoolZone)).build();
    }

    static StatusResult status(WorkerHealth.Status s) {
        return StatusResult.newBuilder()
                .setModelPack(s.modelPack()).setModelLoaded(s.modelLoaded()).setModelError(s.modelError())
                .setEnrolledFaces(s.enrolledFaces()).setEnrolledPersons(s.enrolledPersons())
                .setSimilarityThreshold(s.similarityThreshold()).setDatabaseOk(s.databaseOk())
                .setGalleryVersion(s.galleryVersion()).setResidentMemoryMb(s.residentMemoryMb())
                .setLastReconciledAt(s.lastReconciledAt()).setLastReconcileChanges(s.lastReconcileChanges())
                .setDecision(s.decision()).setGalleryMemoryMb(s.galleryMemoryMb()).build();
    }

    static List<Float> bbox(DetectedFace face) {
        BoundingBox b = face.box();
        return List.of(b.x1(), b.y1(), b.x2(), b.y2());
    }

    static QualityResult quality(QualityReport q) {
        return QualityResult.newBuilder()
                .setScore(q.score()).setFaceDetected(q.faceDetected()).setFaceCount(q.faceCount())
                .setFaceSize(q.faceSize() == null ? null : q.faceSize().wireName())
                .setBrightness(q.brightness() == null ? null : q.brightness().wireName())
                .setBlurLevel(q.blurLevel() == null ? null : q.blurLevel().wireName())
                .setPose(q.pose() == null ? null : HeadPose.newBuilder().setYaw(round(q.pose().yaw()))
                        .setPitch(round(q.pose().pitch())).setRoll(round(q.pose().roll())).build())
                .setRecommendation(q.recommendation().wireName())
                .setFaceWidthPx(q.faceWidthPx()).setMeanLuminance(q.meanLuminance()).setSharpness(q.sharpness())
                .setDetectorScore(q.detectorScore()).build();
    }
}

package io.rollcall.transport;

import io.rollcall.attendance.AttendanceMark;
import io.rollcall.attendance.AttendanceStatus;
import io.rollcall.engine.detect.BoundingBox;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.quality.QualityReport;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.gallery.PackEvent;
import io.rollcall.health.WorkerHealth;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.recognize.FaceRecognition.RecognizedFace;
import io.rollcall.schemas.AttendanceOutcome;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.PackChange;
import io.rollcall.schemas.ShadowComparison;
import io.rollcall.packs.ShadowOutcome;
import io.rollcall.storage.ShadowOutcomeRepository;
import io.rollcall.schemas.PackChangeKind;
import io.rollcall.schemas.GalleryChangeKind;
import io.rollcall.schemas.HeadPose;
import io.rollcall.schemas.Match;
import io.rollcall.schemas.QualityResult;
import io.rollcall.schemas.StatusResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
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

    /**
     * The bytes of an Avro {@code bytes} field. Avro decodes each into a buffer of its own that spans a whole array
     * (it is never reused: every message is decoded without a reused record), so that array is handed on as it is
     * rather than copied; a photo is only read from then on.
     */
    static byte[] bytes(ByteBuffer buffer) {
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    // --- gallery events ---------------------------------------------------------------------------------------

    /** Ids only: never the embedding nor the name, which receivers read from the database (GalleryChange v2). */
    static GalleryChange change(GalleryEvent event) {
        GalleryChange.Builder b = GalleryChange.newBuilder().setChangeId(UUID.randomUUID().toString())
                .setPersonType(wire(event.person().type())).setPersonCode(event.person().code())
                .setModelPack(event.modelPack()).setOccurredAt(Instant.now()).setRequestId(event.origin());
        return switch (event) {
            case GalleryEvent.SampleAdded a -> b.setKind(GalleryChangeKind.ADDED).setFaceDataId(a.sampleId()).build();
            case GalleryEvent.SampleStored a -> b.setKind(GalleryChangeKind.ADDED).setFaceDataId(a.sampleId()).build();
            case GalleryEvent.SampleRemoved r -> b.setKind(GalleryChangeKind.REMOVED_SAMPLE).setFaceDataId(r.sampleId()).build();
            case GalleryEvent.PersonRemoved r -> b.setKind(GalleryChangeKind.REMOVED_PERSON).build();
        };
    }

    /** A v1 change's embedding and name, if any, are dropped by the reader's schema: the row is read by id either way. */
    static GalleryEvent event(GalleryChange c) {
        PersonRef person = new PersonRef(domain(c.getPersonType()), c.getPersonCode());
        return switch (c.getKind()) {
            case ADDED -> new GalleryEvent.SampleStored(c.getFaceDataId(), person, c.getModelPack(), c.getRequestId());
            case REMOVED_SAMPLE -> new GalleryEvent.SampleRemoved(c.getFaceDataId(), person, c.getModelPack(), c.getRequestId());
            case REMOVED_PERSON -> new GalleryEvent.PersonRemoved(person, c.getModelPack(), c.getRequestId());
        };
    }

    static io.rollcall.schemas.ShadowOutcome shadow(ShadowOutcome o) {
        return io.rollcall.schemas.ShadowOutcome.newBuilder().setCandidatePack(o.candidatePack()).setRunId(o.runId())
                .setAgreed(o.agreed())
                .setActivePersonType(o.activePerson() == null ? null : wire(o.activePerson().type()))
                .setActivePersonCode(o.activePerson() == null ? null : o.activePerson().code())
                .setActiveSimilarity(o.activeSimilarity() == null ? null : round(o.activeSimilarity()))
                .setActiveMs(o.activeMs())
                .setCandidatePersonType(o.candidatePerson() == null ? null : wire(o.candidatePerson().type()))
                .setCandidatePersonCode(o.candidatePerson() == null ? null : o.candidatePerson().code())
                .setCandidateSimilarity(o.candidateSimilarity() == null ? null : round(o.candidateSimilarity()))
                .setCandidateMs(o.candidateMs()).build();
    }

    static ShadowComparison comparison(ShadowOutcomeRepository.Comparison c) {
        return ShadowComparison.newBuilder().setRecognitions(c.recognitions()).setAgreements(c.agreements())
                .setDisagreements(c.recognitions() - c.agreements()).setDisagreementRequestIds(c.disagreementRequestIds())
                .setActiveP50Ms(c.activeP50Ms()).setCandidateP50Ms(c.candidateP50Ms())
                .setActiveScores(java.util.Arrays.stream(c.activeScores()).boxed().toList())
                .setCandidateScores(java.util.Arrays.stream(c.candidateScores()).boxed().toList())
                .setActiveUnmatched(c.activeUnmatched()).setCandidateUnmatched(c.candidateUnmatched()).build();
    }

    static PackChange change(PackEvent event) {
        return PackChange.newBuilder().setChangeId(UUID.randomUUID().toString())
                .setKind(PackChangeKind.valueOf(event.kind().name())).setModelPack(event.pack())
                .setOccurredAt(Instant.now()).setRequestId(event.origin()).build();
    }

    static PackEvent event(PackChange c) {
        return new PackEvent(PackEvent.Kind.valueOf(c.getKind().name()), c.getModelPack(), c.getRequestId());
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
                .setDecision(s.decision()).setGalleryMemoryMb(s.galleryMemoryMb())
                .setCandidatePack(s.candidate() == null ? null : s.candidate().pack())
                .setCandidateState(s.candidate() == null ? null : s.candidate().state()).build();
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

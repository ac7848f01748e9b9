package io.rollcall.service;

import io.rollcall.attendance.AttendanceMark;
import io.rollcall.attendance.AttendanceRecorder;
import io.rollcall.bench.MachineInfo;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.detect.BoundingBox;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.quality.QualityReport;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.json.Json;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.recognize.Recognizer;
import io.rollcall.schemas.AttendanceOutcome;
import io.rollcall.schemas.AttendanceStatus;
import io.rollcall.schemas.DeleteByIdCommand;
import io.rollcall.schemas.DeleteCommand;
import io.rollcall.schemas.DeleteResult;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.EnrollResult;
import io.rollcall.schemas.ErrorInfo;
import io.rollcall.schemas.FaceEntry;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.GalleryChangeKind;
import io.rollcall.schemas.GroupFace;
import io.rollcall.schemas.GroupResult;
import io.rollcall.schemas.HeadPose;
import io.rollcall.schemas.ListCommand;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.Match;
import io.rollcall.schemas.QualityCheckCommand;
import io.rollcall.schemas.QualityResult;
import io.rollcall.schemas.RecognitionLogEvent;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.schemas.RecognizeGroupCommand;
import io.rollcall.schemas.RecognizeResult;
import io.rollcall.schemas.StatusCommand;
import io.rollcall.schemas.StatusResult;
import io.rollcall.schemas.VerifyCommand;
import io.rollcall.schemas.VerifyResult;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.FacePage;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.Paging;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does with each request: the use cases of the requirements. Every outcome, success or failure,
 * becomes a {@link FaceReply}; nothing thrown here reaches Kafka. Write order is always database first, then the
 * gallery change on Kafka, then this worker's own gallery, and only then the reply.
 */
public final class FaceRequestHandler {
    private static final Logger log = LoggerFactory.getLogger(FaceRequestHandler.class);
    /** How long a recognition waits for this worker's gallery to catch up with enrollments made elsewhere. */
    private static final Duration CATCH_UP = Duration.ofSeconds(5);

    private final WorkerSettings settings;
    private final EngineHolder engines;
    private final ImageDecoder decoder;
    private final Gallery gallery;
    private final GallerySync sync;
    private final Publishers publishers;
    private final DatabaseAccess db;
    private final FaceRepository faces;
    private final AttendanceRecorder attendance;
    private final FaceEnrollment enrollment;

    public FaceRequestHandler(WorkerSettings settings, EngineHolder engines, ImageDecoder decoder, Gallery gallery,
                              GallerySync sync, Publishers publishers, DatabaseAccess db, AttendanceRecorder attendance,
                              FaceEnrollment enrollment) {
        this.settings = settings;
        this.engines = engines;
        this.decoder = decoder;
        this.gallery = gallery;
        this.sync = sync;
        this.publishers = publishers;
        this.db = db;
        this.faces = new FaceRepository(db);
        this.attendance = attendance;
        this.enrollment = enrollment;
    }

    /**
     * A request's reply, and the acknowledgement of the events it started that the reply does not wait for (the
     * recognition log events): the request counts as done, and its offset may be committed, only after both.
     */
    public record Handled(FaceReply reply, CompletableFuture<Void> eventsAcknowledged) {
    }

    public Handled handle(FaceRequest request) {
        List<CompletableFuture<Void>> logs = new ArrayList<>();
        FaceReply reply = reply(request, logs);
        return new Handled(reply, CompletableFuture.allOf(logs.toArray(CompletableFuture[]::new)));
    }

    private FaceReply reply(FaceRequest request, List<CompletableFuture<Void>> logs) {
        long start = System.nanoTime();
        try {
            if (request.getExpiresAt() != null && Instant.now().isAfter(request.getExpiresAt())) {
                throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "The caller stopped waiting before a worker took the request");
            }
            Object result = switch (request.getCommand()) {
                case EnrollCommand c -> enroll(c, request);
                case RecognizeCommand c -> recognize(c, request, start, logs);
                case RecognizeGroupCommand c -> recognizeGroup(c, request, start, logs);
                case VerifyCommand c -> verify(c);
                case ListCommand c -> list(c);
                case DeleteCommand c -> delete(c, request);
                case DeleteByIdCommand c -> deleteById(c, request);
                case QualityCheckCommand c -> quality(c);
                case StatusCommand c -> status();
                default -> throw new RollcallException(ErrorCode.VALIDATION_ERROR,
                        "Unknown command " + request.getCommand().getClass().getSimpleName());
            };
            WorkerMetrics.request(commandName(request), "ok", System.nanoTime() - start);
            return reply(request, start).setSuccess(true).setResult(result).build();
        } catch (RollcallException e) {
            WorkerMetrics.request(commandName(request), e.code().name(), System.nanoTime() - start);
            return failure(request, start, e);
        } catch (RuntimeException e) {
            log.error("Request {} failed unexpectedly", request.getRequestId(), e);
            WorkerMetrics.request(commandName(request), ErrorCode.INTERNAL_ERROR.name(), System.nanoTime() - start);
            return failure(request, start, new RollcallException(ErrorCode.INTERNAL_ERROR, "Internal error in the worker"));
        }
    }

    private static String commandName(FaceRequest request) {
        String name = request.getCommand().getClass().getSimpleName();
        return name.endsWith("Command") ? name.substring(0, name.length() - "Command".length()).toLowerCase(java.util.Locale.ROOT) : name;
    }

    // --- enroll -------------------------------------------------------------------------------------------------

    private EnrollResult enroll(EnrollCommand c, FaceRequest request) {
        FaceEnrollment.Enrolled e = enrollment.enroll(new FaceEnrollment.Request(person(c.getPersonType(), c.getPersonCode()),
                c.getPersonName(), bytes(c.getImage()), c.getOriginalName(), c.getContentType(), c.getAllowDuplicate(),
                FaceEnrollment.SamePhoto.REFUSE, request.getRequestId()));
        return EnrollResult.newBuilder()
                .setPersonType(Messages.wire(e.person().type())).setPersonCode(e.person().code()).setPersonName(e.personName())
                .setEmbeddingId(e.embeddingId()).setSamples(e.samples()).setGalleryVersion(e.galleryVersion())
                .setQuality(e.quality() == null ? null : quality(e.quality())).build();
    }

    // --- recognize ----------------------------------------------------------------------------------------------

    private RecognizeResult recognize(RecognizeCommand c, FaceRequest request, long start, List<CompletableFuture<Void>> logs) {
        double threshold = threshold(c.getSimilarityThreshold());
        checkSession(c.getSessionId());
        FaceEngine engine = engines.engine();
        Runnable caughtUp = sync.startCatchUp(CATCH_UP);
        Recognizer.Recognition r;
        try (DecodedImage image = decode(c.getImage())) {
            r = new Recognizer(engine, gallery).recognize(image, Messages.domain(c.getPersonType()), threshold, caughtUp);
        } catch (RollcallException e) {
            logRecognition(logs, request, "recognize", null, e.code(), c.getSourceImageName(), c.getSessionId(), start, engine);
            throw e;
        }
        AttendanceOutcome marked = r.match().map(m -> mark(c.getSessionId(), m)).orElse(null);
        logRecognition(logs, request, "recognize", r, null, c.getSourceImageName(), c.getSessionId(), start, engine);
        return RecognizeResult.newBuilder()
                .setMatch(r.match().map(m -> match(m, threshold)).orElse(null))
                .setAttendance(marked)
                .setBbox(bbox(r.face()))
                .build();
    }

    private GroupResult recognizeGroup(RecognizeGroupCommand c, FaceRequest request, long start, List<CompletableFuture<Void>> logs) {
        double threshold = threshold(c.getSimilarityThreshold());
        checkSession(c.getSessionId());
        FaceEngine engine = engines.engine();
        Runnable caughtUp = sync.startCatchUp(CATCH_UP);
        List<Recognizer.Recognition> all;
        try (DecodedImage image = decode(c.getImage())) {
            all = new Recognizer(engine, gallery).recognizeAll(image, Messages.domain(c.getPersonType()), threshold, caughtUp);
        }
        List<GroupFace> faceList = new ArrayList<>();
        for (Recognizer.Recognition r : all) {
            DetectedFace d = r.face();
            List<List<Float>> kps = d.keypoints().stream().map(p -> List.of(p.x(), p.y())).toList();
            faceList.add(GroupFace.newBuilder()
                    .setBbox(bbox(d)).setScore(d.score()).setKps(kps)
                    .setMatch(r.match().map(m -> match(m, threshold)).orElse(null))
                    .setAttendance(r.match().map(m -> mark(c.getSessionId(), m)).orElse(null))
                    .build());
            logRecognition(logs, request, "recognize_group", r, null, c.getSourceImageName(), c.getSessionId(), start, engine);
        }
        if (all.isEmpty()) {
            logRecognition(logs, request, "recognize_group", null, ErrorCode.NO_FACE_DETECTED, c.getSourceImageName(), c.getSessionId(), start, engine);
        }
        return GroupResult.newBuilder().setFaces(faceList).build();
    }

    private VerifyResult verify(VerifyCommand c) {
        double threshold = threshold(c.getSimilarityThreshold());
        FaceEngine engine = engines.engine();
        try (DecodedImage a = decode(c.getImageA()); DecodedImage b = decode(c.getImageB())) {
            Recognizer.Verification v = new Recognizer(engine, gallery).verify(a, b, threshold);
            return VerifyResult.newBuilder().setSamePerson(v.samePerson()).setSimilarity(v.similarity()).setThreshold(threshold).build();
        }
    }

    /** Attendance for a recognised student when the request names a session; teachers are not marked. */
    private AttendanceOutcome mark(Integer sessionId, GalleryMatch m) {
        if (sessionId == null || m.person().type() != PersonType.STUDENT) {
            return null;
        }
        LocalDateTime now = LocalDateTime.now(settings.schoolZone());
        AttendanceMark mark = attendance.record(sessionId, m.person().code(), now);
        AttendanceStatus status = "late".equalsIgnoreCase(mark.status()) ? AttendanceStatus.LATE : AttendanceStatus.PRESENT;
        return AttendanceOutcome.newBuilder().setSessionId(sessionId).setStatus(status)
                .setNewlyRecorded(mark.newlyRecorded()).setRecordedAt(now.toInstant(ZoneOffset.UTC)).build();
    }

    private void checkSession(Integer sessionId) {
        if (sessionId != null && attendance.findSession(sessionId).isEmpty()) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "No session with id " + sessionId,
                    Map.of("field", "session_id", "session_id", sessionId));
        }
    }

    // --- list, delete, quality, status --------------------------------------------------------------------------

    private ListResult list(ListCommand c) {
        Paging paging = c.getPage() == null ? Paging.ALL : new Paging((long) (c.getPage() - 1) * c.getPageSize(), c.getPageSize());
        FacePage page = c.getPersonType() == null ? faces.listAll(paging) : faces.list(Messages.domain(c.getPersonType()), paging);
        List<FaceEntry> entries = page.faces().stream().map(f -> FaceEntry.newBuilder()
                .setId(f.id()).setPersonType(Messages.wire(f.person().type())).setPersonCode(f.person().code())
                .setPersonName(f.personName())
                .setEnrollmentDate(f.enrolledAt() == null ? Instant.EPOCH : f.enrolledAt().toInstant(ZoneOffset.UTC))
                .setHasImage(f.hasImage()).build()).toList();
        return ListResult.newBuilder().setFaces(entries).setTotalCount((int) page.totalCount()).build();
    }

    private DeleteResult delete(DeleteCommand c, FaceRequest request) {
        PersonRef person = person(c.getPersonType(), c.getPersonCode());
        int deleted = faces.deleteAll(person);
        if (deleted == 0) {
            throw new RollcallException(ErrorCode.PERSON_NOT_FOUND, "No enrolled face for " + person,
                    Map.of("person_type", person.type().wireName(), "person_code", person.code()));
        }
        long version = publishRemoval(GalleryChangeKind.REMOVED_PERSON, null, person, request);
        return DeleteResult.newBuilder().setPersonType(c.getPersonType()).setPersonCode(person.code())
                .setDeletedSamples(deleted).setGalleryVersion(version).build();
    }

    private DeleteResult deleteById(DeleteByIdCommand c, FaceRequest request) {
        PersonRef person = faces.delete(c.getFaceDataId()).orElseThrow(() -> new RollcallException(ErrorCode.PERSON_NOT_FOUND,
                "No face sample with id " + c.getFaceDataId(), Map.of("id", c.getFaceDataId())));
        long version = publishRemoval(GalleryChangeKind.REMOVED_SAMPLE, c.getFaceDataId(), person, request);
        return DeleteResult.newBuilder().setPersonType(Messages.wire(person.type())).setPersonCode(person.code())
                .setDeletedSamples(1).setGalleryVersion(version).build();
    }

    /**
     * The rows are already gone; the change must reach the other workers. If Kafka refuses it, the caller gets an
     * error and may retry the delete, and every worker drops the sample at its next start at the latest.
     */
    private long publishRemoval(GalleryChangeKind kind, Long faceDataId, PersonRef person, FaceRequest request) {
        GalleryChange change = GalleryChange.newBuilder()
                .setChangeId(UUID.randomUUID().toString()).setKind(kind).setFaceDataId(faceDataId)
                .setPersonType(Messages.wire(person.type())).setPersonCode(person.code())
                .setModelPack(gallery.modelPack()).setOccurredAt(Instant.now()).setRequestId(request.getRequestId()).build();
        long version = publishers.change(change);
        sync.apply(change);
        return version;
    }

    private QualityResult quality(QualityCheckCommand c) {
        FaceEngine engine = engines.engine();
        try (DecodedImage image = decode(c.getImage())) {
            return quality(engine.assessQuality(image));
        }
    }

    private StatusResult status() {
        boolean databaseOk;
        try {
            databaseOk = db.read("check the database", () -> db.jdbc().sql("SELECT 1").query(Integer.class).single()) == 1;
        } catch (RuntimeException e) {
            databaseOk = false;
        }
        long rss = MachineInfo.residentBytes();
        return StatusResult.newBuilder()
                .setModelPack(engines.packName()).setModelLoaded(engines.loaded().isPresent())
                .setModelError(engines.failureMessage().orElse(null))
                .setEnrolledFaces(gallery.size()).setEnrolledPersons(gallery.personCount())
                .setSimilarityThreshold(settings.similarityThreshold()).setDatabaseOk(databaseOk && sync.healthy())
                .setGalleryVersion(sync.version()).setResidentMemoryMb(rss < 0 ? null : rss / (1024 * 1024)).build();
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private void logRecognition(List<CompletableFuture<Void>> logs, FaceRequest request, String operation, Recognizer.Recognition r, ErrorCode error,
                                String sourceImage, Integer sessionId, long start, FaceEngine engine) {
        Optional<GalleryMatch> m = r == null ? Optional.empty() : r.match();
        RecognitionLogEvent event = RecognitionLogEvent.newBuilder()
                .setEventId(eventId(request, logs.size())).setRequestId(request.getRequestId()).setOccurredAt(Instant.now())
                .setOperation(operation).setSuccess(m.isPresent())
                .setPersonType(m.map(x -> Messages.wire(x.person().type())).orElse(null))
                .setPersonCode(m.map(x -> x.person().code()).orElse(null))
                .setConfidence(r == null || m.isEmpty() ? null : r.confidence())
                .setSimilarity(m.map(x -> (double) round(x.similarity())).orElse(null))
                .setProcessingTimeMs((int) ((System.nanoTime() - start) / 1_000_000))
                .setSourceImageName(sourceImage).setErrorCode(error == null ? null : error.name())
                .setWorkerId(settings.workerId()).setModelPack(engine.pack().name()).setSessionId(sessionId).build();
        logs.add(publishers.log(event));
    }

    /**
     * The n-th log event of a request, the same each time the request is handled: a request redelivered after a
     * worker crash produces the same event ids, and the writer's unique EventId keeps one row of each. The request
     * id alone is not enough (callers may reuse their X-Request-Id), so the ingress's receipt time and the client
     * are part of it.
     */
    private static String eventId(FaceRequest request, int n) {
        String identity = request.getRequestId() + "/" + request.getReceivedAt().toEpochMilli() + "/" + request.getClient() + "/" + n;
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Match match(GalleryMatch m, double threshold) {
        return Match.newBuilder().setPersonType(Messages.wire(m.person().type())).setPersonCode(m.person().code())
                .setPersonName(m.name()).setFaceDataId(m.sampleId())
                .setConfidence(io.rollcall.matching.Confidence.of(m.similarity(), threshold))
                .setSimilarityScore(round(m.similarity())).build();
    }

    private static QualityResult quality(QualityReport q) {
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

    private double threshold(Double requested) {
        return requested != null ? requested : settings.similarityThreshold();
    }

    private static PersonRef person(io.rollcall.schemas.PersonType type, String code) {
        try {
            return Messages.person(type, code);
        } catch (IllegalArgumentException e) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "person_code: " + e.getMessage(), Map.of("field", "person_code"));
        }
    }

    private static List<Float> bbox(DetectedFace face) {
        BoundingBox b = face.box();
        return List.of(b.x1(), b.y1(), b.x2(), b.y2());
    }

    private DecodedImage decode(ByteBuffer image) {
        return decode(bytes(image));
    }

    private DecodedImage decode(byte[] image) {
        long start = System.nanoTime();
        DecodedImage decoded = decoder.decode(image);
        WorkerMetrics.decode((System.nanoTime() - start) / 1e6);
        return decoded;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private FaceReply.Builder reply(FaceRequest request, long start) {
        return FaceReply.newBuilder().setRequestId(request.getRequestId()).setWorkerId(settings.workerId())
                .setProcessingTimeMs((int) ((System.nanoTime() - start) / 1_000_000));
    }

    private FaceReply failure(FaceRequest request, long start, RollcallException e) {
        String details = e.details().isEmpty() ? null : Json.MAPPER.writeValueAsString(e.details());
        return reply(request, start).setSuccess(false)
                .setError(ErrorInfo.newBuilder().setCode(e.code().name()).setMessage(e.getMessage()).setDetailsJson(details).build())
                .build();
    }
}

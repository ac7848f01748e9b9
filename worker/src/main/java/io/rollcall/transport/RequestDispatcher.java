package io.rollcall.transport;

import io.rollcall.attendance.SessionRegister;
import io.rollcall.enroll.EnrolledFaces;
import io.rollcall.enroll.FaceEnrollment;
import io.rollcall.enroll.QualityCheck;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.engine.image.ImageFormat;
import io.rollcall.health.WorkerHealth;
import io.rollcall.json.Json;
import io.rollcall.metrics.WorkerMetrics;
import io.rollcall.recognize.FaceRecognition;
import io.rollcall.recognize.FaceRecognition.RecognizedFace;
import io.rollcall.recognize.Recognizer;
import io.rollcall.schemas.AttendanceCommand;
import io.rollcall.schemas.AttendanceEntry;
import io.rollcall.schemas.AttendanceResult;
import io.rollcall.schemas.DeleteByIdCommand;
import io.rollcall.schemas.DeleteCommand;
import io.rollcall.schemas.DeletePersonOfSampleCommand;
import io.rollcall.schemas.DeleteResult;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.EnrollResult;
import io.rollcall.schemas.ErrorInfo;
import io.rollcall.schemas.FaceEntry;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.GroupFace;
import io.rollcall.schemas.GroupResult;
import io.rollcall.schemas.ListCommand;
import io.rollcall.schemas.ModelAction;
import io.rollcall.schemas.ModelCommand;
import io.rollcall.schemas.ModelResult;
import io.rollcall.packs.PackLifecycle;
import io.rollcall.packs.PackStatus;
import io.rollcall.packs.ShadowRecognitions;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.QualityCheckCommand;
import io.rollcall.schemas.QualityResult;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.schemas.RecognizeGroupCommand;
import io.rollcall.schemas.RecognizeResult;
import io.rollcall.schemas.SamplePhotoCommand;
import io.rollcall.schemas.SamplePhotoResult;
import io.rollcall.schemas.SessionEntry;
import io.rollcall.schemas.SessionsCommand;
import io.rollcall.schemas.SessionsResult;
import io.rollcall.schemas.StatusCommand;
import io.rollcall.schemas.StatusResult;
import io.rollcall.schemas.VerifyCommand;
import io.rollcall.schemas.VerifyResult;
import io.rollcall.storage.FaceListing;
import io.rollcall.storage.FacePage;
import io.rollcall.storage.Paging;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each request's command, runs its use case, and encodes the outcome as the reply. Every outcome, success
 * or failure, becomes a {@link FaceReply}; nothing thrown here reaches Kafka.
 */
public final class RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final String workerId;
    private final FaceEnrollment enrollment;
    private final EnrolledFaces enrolled;
    private final FaceRecognition recognition;
    private final QualityCheck quality;
    private final WorkerHealth health;
    private final KafkaRecognitionLog recognitionLog;
    private final SessionRegister register;
    private final ZoneId schoolZone;
    private final PackLifecycle packs;
    private final ShadowRecognitions shadows;

    /** @param schoolZone {@code SCHOOL_TIMEZONE}: the zone of the DATETIME values replies turn into instants */
    public RequestDispatcher(String workerId, FaceEnrollment enrollment, EnrolledFaces enrolled, FaceRecognition recognition,
                             QualityCheck quality, WorkerHealth health, KafkaRecognitionLog recognitionLog,
                             SessionRegister register, ZoneId schoolZone, PackLifecycle packs, ShadowRecognitions shadows) {
        this.packs = packs;
        this.shadows = shadows;
        this.workerId = workerId;
        this.enrollment = enrollment;
        this.enrolled = enrolled;
        this.recognition = recognition;
        this.quality = quality;
        this.health = health;
        this.recognitionLog = recognitionLog;
        this.register = register;
        this.schoolZone = schoolZone;
    }

    /**
     * A request's reply, and the acknowledgement of the events it started that the reply does not wait for (the
     * recognition log events): the request counts as done, and its offset may be committed, only after both.
     * {@code afterReply} is what to start once the reply is sent (a shadow recognition); it returns at once.
     */
    public record Handled(FaceReply reply, CompletableFuture<Void> eventsAcknowledged, Runnable afterReply) {
    }

    public Handled handle(FaceRequest request) {
        long start = System.nanoTime();
        KafkaRecognitionLog.ForRequest logs = recognitionLog.forRequest(request, start);
        List<Runnable> afterReply = new ArrayList<>(1);
        FaceReply reply = reply(request, start, logs, afterReply);
        return new Handled(reply, logs.acknowledged(), () -> afterReply.forEach(Runnable::run));
    }

    private FaceReply reply(FaceRequest request, long start, KafkaRecognitionLog.ForRequest logs, List<Runnable> afterReply) {
        String command = commandName(request);
        try {
            if (request.getExpiresAt() != null && Instant.now().isAfter(request.getExpiresAt())) {
                throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "The caller stopped waiting before a worker took the request");
            }
            Object result = switch (request.getCommand()) {
                case EnrollCommand c -> enroll(c, request);
                case RecognizeCommand c -> recognize(c, request, start, logs, afterReply);
                case RecognizeGroupCommand c -> recognizeGroup(c, logs);
                case VerifyCommand c -> verify(c);
                case ListCommand c -> list(c);
                case DeleteCommand c -> delete(c, request);
                case DeleteByIdCommand c -> deleteById(c, request);
                case DeletePersonOfSampleCommand c -> deletePersonOfSample(c, request);
                case QualityCheckCommand c -> AvroMapping.quality(quality.assess(AvroMapping.bytes(c.getImage())));
                case StatusCommand c -> status();
                case SamplePhotoCommand c -> photo(c);
                case SessionsCommand c -> sessions(c);
                case AttendanceCommand c -> attendance(c);
                case ModelCommand c -> model(c, request);
                default -> throw new RollcallException(ErrorCode.VALIDATION_ERROR,
                        "Unknown command " + request.getCommand().getClass().getSimpleName());
            };
            WorkerMetrics.request(command, "ok", System.nanoTime() - start);
            return reply(request, start).setSuccess(true).setResult(result).build();
        } catch (RollcallException e) {
            WorkerMetrics.request(command, e.code().name(), System.nanoTime() - start);
            return failure(request, start, e);
        } catch (RuntimeException e) {
            log.error("Request {} failed unexpectedly", request.getRequestId(), e);
            WorkerMetrics.request(command, ErrorCode.INTERNAL_ERROR.name(), System.nanoTime() - start);
            return failure(request, start, new RollcallException(ErrorCode.INTERNAL_ERROR, "Internal error in the worker"));
        }
    }

    private static String commandName(FaceRequest request) {
        String name = request.getCommand().getClass().getSimpleName();
        return name.endsWith("Command") ? name.substring(0, name.length() - "Command".length()).toLowerCase(Locale.ROOT) : name;
    }

    private EnrollResult enroll(EnrollCommand c, FaceRequest request) {
        FaceEnrollment.Enrolled e = enrollment.enroll(new FaceEnrollment.Request(AvroMapping.person(c.getPersonType(), c.getPersonCode()),
                c.getPersonName(), AvroMapping.bytes(c.getImage()), c.getOriginalName(), c.getContentType(),
                FaceEnrollment.Rules.request(c.getAllowDuplicate(), c.getAllowMismatch()), request.getRequestId()));
        return EnrollResult.newBuilder()
                .setPersonType(AvroMapping.wire(e.person().type())).setPersonCode(e.person().code()).setPersonName(e.personName())
                .setEmbeddingId(e.sampleId()).setSamples(e.samples()).setGalleryVersion(e.galleryVersion())
                .setQuality(e.quality() == null ? null : AvroMapping.quality(e.quality()))
                .setPreviousName(e.previousName()).build();
    }

    private RecognizeResult recognize(RecognizeCommand c, FaceRequest request, long start, KafkaRecognitionLog.ForRequest logs,
                                      List<Runnable> afterReply) {
        FaceRecognition.Probe probe = probe(c.getImage(), c.getPersonType(), c.getSimilarityThreshold(), c.getSourceImageName(),
                c.getSessionId());
        RecognizedFace face = recognition.recognize(probe, logs);
        int activeMs = (int) ((System.nanoTime() - start) / 1_000_000);
        afterReply.add(() -> shadows.afterReply(probe, face, activeMs, outcome -> recognitionLog.shadow(request, outcome)));
        return RecognizeResult.newBuilder()
                .setMatch(AvroMapping.match(face))
                .setAttendance(face.attendance().map(a -> AvroMapping.attendance(a, c.getSessionId(), schoolZone)).orElse(null))
                .setBbox(AvroMapping.bbox(face.face()))
                .build();
    }

    private GroupResult recognizeGroup(RecognizeGroupCommand c, KafkaRecognitionLog.ForRequest logs) {
        List<RecognizedFace> faces = recognition.recognizeGroup(probe(c.getImage(), c.getPersonType(), c.getSimilarityThreshold(),
                c.getSourceImageName(), c.getSessionId()), logs);
        List<GroupFace> out = faces.stream().map(f -> GroupFace.newBuilder()
                .setBbox(AvroMapping.bbox(f.face())).setScore(f.face().score())
                .setKps(f.face().keypoints().stream().map(p -> List.of(p.x(), p.y())).toList())
                .setMatch(AvroMapping.match(f))
                .setAttendance(f.attendance().map(a -> AvroMapping.attendance(a, c.getSessionId(), schoolZone)).orElse(null))
                .build()).toList();
        return GroupResult.newBuilder().setFaces(out).build();
    }

    private static FaceRecognition.Probe probe(java.nio.ByteBuffer image, io.rollcall.schemas.PersonType type, Double threshold,
                                               String source, Integer session) {
        return new FaceRecognition.Probe(AvroMapping.bytes(image), AvroMapping.domain(type), threshold, source, session);
    }

    private VerifyResult verify(VerifyCommand c) {
        Recognizer.Verification v = recognition.verify(AvroMapping.bytes(c.getImageA()), AvroMapping.bytes(c.getImageB()),
                c.getSimilarityThreshold());
        return VerifyResult.newBuilder().setSamePerson(v.samePerson()).setSimilarity(v.similarity())
                .setThreshold(v.threshold()).setConfidence(v.confidence()).build();
    }

    private ListResult list(ListCommand c) {
        Paging paging = c.getPage() == null ? Paging.ALL : new Paging((long) (c.getPage() - 1) * c.getPageSize(), c.getPageSize());
        FacePage page = enrolled.list(Optional.ofNullable(AvroMapping.domain(c.getPersonType())),
                c.getPerSample() ? FaceListing.PER_SAMPLE : FaceListing.PER_PERSON, paging);
        List<FaceEntry> entries = page.faces().stream().map(f -> FaceEntry.newBuilder()
                .setId(f.sampleId()).setPersonType(AvroMapping.wire(f.person().type())).setPersonCode(f.person().code())
                .setPersonName(f.personName())
                .setEnrollmentDate(f.enrolledAt() == null ? Instant.EPOCH : AvroMapping.instant(f.enrolledAt(), schoolZone))
                .setHasImage(f.hasImage()).setSamples(f.samples()).build()).toList();
        return ListResult.newBuilder().setFaces(entries).setTotalCount((int) page.totalCount()).build();
    }

    private DeleteResult delete(DeleteCommand c, FaceRequest request) {
        EnrolledFaces.Deletion d = enrolled.deletePerson(AvroMapping.person(c.getPersonType(), c.getPersonCode()), request.getRequestId());
        return deleted(d);
    }

    private DeleteResult deleteById(DeleteByIdCommand c, FaceRequest request) {
        return deleted(enrolled.deleteSample(c.getFaceDataId(), request.getRequestId()));
    }

    private DeleteResult deletePersonOfSample(DeletePersonOfSampleCommand c, FaceRequest request) {
        return deleted(enrolled.deletePersonOfSample(c.getFaceDataId(), request.getRequestId()));
    }

    private static DeleteResult deleted(EnrolledFaces.Deletion d) {
        return DeleteResult.newBuilder().setPersonType(AvroMapping.wire(d.person().type())).setPersonCode(d.person().code())
                .setDeletedSamples(d.deletedSamples()).setGalleryVersion(d.galleryVersion()).build();
    }

    private SamplePhotoResult photo(SamplePhotoCommand c) {
        byte[] image = enrolled.photo(c.getFaceDataId());
        return SamplePhotoResult.newBuilder().setFaceDataId(c.getFaceDataId()).setImage(java.nio.ByteBuffer.wrap(image))
                .setMediaType(ImageFormat.mediaType(image).orElse("application/octet-stream")).build();
    }

    private SessionsResult sessions(SessionsCommand c) {
        SessionRegister.Day day = register.day(c.getDay());
        return SessionsResult.newBuilder().setTruncated(day.truncated()).setSessions(day.sessions().stream()
                .map(s -> SessionEntry.newBuilder().setSessionId(s.id()).setStartTime(AvroMapping.instant(s.startTime(), schoolZone))
                        .setAttendanceCount(s.records()).build())
                .toList()).build();
    }

    private AttendanceResult attendance(AttendanceCommand c) {
        SessionRegister.Register r = register.register(c.getSessionId());
        return AttendanceResult.newBuilder().setSessionId(r.session().id()).setTruncated(r.truncated())
                .setStartTime(r.session().startTime() == null ? null : AvroMapping.instant(r.session().startTime(), schoolZone))
                .setRecords(r.records().stream().map(e -> AttendanceEntry.newBuilder().setStudentCode(e.studentCode())
                        .setStudentName(e.studentName()).setStatus(e.status())
                        .setRecordedAtMillis(e.recordedAt() == null ? null : AvroMapping.instant(e.recordedAt(), schoolZone).toEpochMilli())
                        .build())
                        .toList())
                .build();
    }

    private ModelResult model(ModelCommand c, FaceRequest request) {
        PackStatus s = switch (c.getAction()) {
            case STATUS -> packs.status();
            case SWITCH -> packs.switchTo(requirePack(c), c.getShadow(), request.getRequestId());
            case COMMIT -> packs.commit(request.getRequestId());
            case ABANDON -> packs.abandon(request.getRequestId());
            case PURGE -> packs.purge(requirePack(c));
            case COMPARISON -> packs.status();
        };
        return ModelResult.newBuilder().setActivePack(s.activePack()).setCandidatePack(s.candidatePack()).setShadow(s.shadow())
                .setSamples(s.samples()).setCandidateCovered(s.candidateCovered()).setJob(s.job()).setMessage(s.message())
                .setPurgedMoved(s.purgedMoved()).setPurgedDeleted(s.purgedDeleted())
                .setComparison(c.getAction() == ModelAction.COMPARISON ? AvroMapping.comparison(packs.comparison()) : null).build();
    }

    private static String requirePack(ModelCommand c) {
        if (c.getPack() == null || c.getPack().isBlank()) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "pack is required", Map.of("field", "pack"));
        }
        return c.getPack();
    }

    private StatusResult status() {
        return AvroMapping.status(health.status());
    }

    private FaceReply.Builder reply(FaceRequest request, long start) {
        return FaceReply.newBuilder().setRequestId(request.getRequestId()).setWorkerId(workerId)
                .setProcessingTimeMs((int) ((System.nanoTime() - start) / 1_000_000));
    }

    private FaceReply failure(FaceRequest request, long start, RollcallException e) {
        String details = e.details().isEmpty() ? null : Json.MAPPER.writeValueAsString(e.details());
        return reply(request, start).setSuccess(false)
                .setError(ErrorInfo.newBuilder().setCode(e.code().name()).setMessage(e.getMessage()).setDetailsJson(details).build())
                .build();
    }
}

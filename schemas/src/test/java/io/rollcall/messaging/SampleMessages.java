package io.rollcall.messaging;

import io.rollcall.schemas.AttendanceOutcome;
import io.rollcall.schemas.AttendanceStatus;
import io.rollcall.schemas.BulkEnrollItem;
import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.BulkItemFailure;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.BulkJobStatus;
import io.rollcall.schemas.DeleteByIdCommand;
import io.rollcall.schemas.AttendanceCommand;
import io.rollcall.schemas.AttendanceEntry;
import io.rollcall.schemas.AttendanceResult;
import io.rollcall.schemas.DeletePersonOfSampleCommand;
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
import io.rollcall.schemas.ModelAction;
import io.rollcall.schemas.ModelCommand;
import io.rollcall.schemas.ModelResult;
import io.rollcall.schemas.PackChange;
import io.rollcall.schemas.PackChangeKind;
import io.rollcall.schemas.ShadowComparison;
import io.rollcall.schemas.ShadowOutcome;
import io.rollcall.schemas.GroupFace;
import io.rollcall.schemas.GroupResult;
import io.rollcall.schemas.HeadPose;
import io.rollcall.schemas.ListCommand;
import io.rollcall.schemas.MigrationJob;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.Match;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.QualityCheckCommand;
import io.rollcall.schemas.QualityResult;
import io.rollcall.schemas.StatusCommand;
import io.rollcall.schemas.SamplePhotoCommand;
import io.rollcall.schemas.SamplePhotoResult;
import io.rollcall.schemas.SessionEntry;
import io.rollcall.schemas.SessionsCommand;
import io.rollcall.schemas.SessionsResult;
import io.rollcall.schemas.StatusResult;
import io.rollcall.schemas.WorkerHeartbeat;
import io.rollcall.schemas.RecognitionLogEvent;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.schemas.RecognizeGroupCommand;
import io.rollcall.schemas.RecognizeResult;
import io.rollcall.schemas.VerifyCommand;
import io.rollcall.schemas.VerifyResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/**
 * One sample of every message, every command and result branch, and every optional field both set and null
 * ({@code UnionCoverageTest} checks that nothing is left out). Times have millisecond precision, as the wire does.
 */
final class SampleMessages {
    static final Instant T0 = Instant.parse("2025-09-01T08:15:30.123Z");

    private SampleMessages() {
    }

    record Sample(String name, SpecificRecord message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Sample> all() {
        List<Sample> all = new ArrayList<>();
        all.addAll(requests());
        all.addAll(replies());
        all.addAll(galleryChanges());
        all.addAll(recognitionLogs());
        all.add(new Sample("bulk job (from a CSV file)", bulkJob()));
        all.add(new Sample("bulk job (no source name)", BulkEnrollJob.newBuilder().setJobId("job-3").setSubmittedAt(T0)
                .setClient("cli").setItems(List.of(BulkEnrollItem.newBuilder().setPersonType(PersonType.TEACHER)
                        .setPersonCode("T042").setImagePath("staff/T042.webp").build()))
                .build()));
        all.addAll(bulkProgress());
        all.add(new Sample("migration job (filtered)", MigrationJob.newBuilder().setJobId("mig-1").setSubmittedAt(T0)
                .setClient("admin").setPersonType(PersonType.STUDENT).setCampus("North").setForm("10A")
                .setCodes(List.of("S001", "S002")).setLimit(100).setDryRun(true).build()));
        all.add(new Sample("migration rollback", MigrationJob.newBuilder().setJobId("mig-2").setSubmittedAt(T0)
                .setClient("admin").setRollbackBatchId("mig-1").build()));
        all.add(new Sample("worker heartbeat", WorkerHeartbeat.newBuilder().setWorkerId("worker-a").setSentAt(T0)
                .setStopping(true).setStatus(StatusResult.newBuilder().setModelPack("dev").setModelLoaded(true)
                        .setEnrolledFaces(19).setEnrolledPersons(19).setSimilarityThreshold(0.4).setDatabaseOk(true)
                        .setLastReconciledAt(T0.minusSeconds(5)).setLastReconcileChanges(2).build()).build()));
        return all;
    }

    /** Deterministic stand-in for an encoded photo: the contract carries the file's bytes opaquely. */
    static ByteBuffer image(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    static FaceRequest request(String requestId, Object command) {
        return FaceRequest.newBuilder()
                .setRequestId(requestId)
                .setReceivedAt(T0)
                .setClient("attendance-kiosk-3")
                .setExpiresAt(T0.plusSeconds(30))
                .setCommand(command)
                .setMinGalleryVersion(41L)
                .build();
    }

    static List<Sample> requests() {
        return List.of(
                new Sample("request enroll (all fields)", request("req-enroll", EnrollCommand.newBuilder()
                        .setPersonType(PersonType.STUDENT).setPersonCode("S001").setPersonName("Zoë Ndlovu")
                        .setImage(image(2048, 1)).setOriginalName("photo.jpg").setContentType("image/jpeg")
                        .setAllowDuplicate(true).build())),
                new Sample("request enroll (optional fields null)", FaceRequest.newBuilder()
                        .setRequestId("req-enroll-min").setReceivedAt(T0).setClient("10.0.0.7")
                        .setCommand(EnrollCommand.newBuilder().setPersonType(PersonType.TEACHER).setPersonCode("T042")
                                .setImage(image(512, 2)).build())
                        .build()),
                new Sample("request recognize (all fields)", request("req-recognize", RecognizeCommand.newBuilder()
                        .setImage(image(4096, 3)).setPersonType(PersonType.STUDENT).setSimilarityThreshold(0.45)
                        .setSourceImageName("attendance_scan.jpg").setSessionId(17).build())),
                new Sample("request recognize (optional fields null)", request("req-recognize-min",
                        RecognizeCommand.newBuilder().setImage(image(100, 4)).build())),
                new Sample("request verify (threshold)", request("req-verify", VerifyCommand.newBuilder()
                        .setImageA(image(300, 5)).setImageB(image(301, 6)).setSimilarityThreshold(0.5).build())),
                new Sample("request verify (default threshold)", request("req-verify-min", VerifyCommand.newBuilder()
                        .setImageA(image(30, 7)).setImageB(image(31, 8)).build())),
                new Sample("request recognize group (all fields)", request("req-group", RecognizeGroupCommand.newBuilder()
                        .setImage(image(5000, 9)).setPersonType(PersonType.TEACHER).setSimilarityThreshold(0.4)
                        .setSourceImageName("class_7b.jpg").setSessionId(18).build())),
                new Sample("request recognize group (optional fields null)", request("req-group-min",
                        RecognizeGroupCommand.newBuilder().setImage(image(64, 10)).build())),
                new Sample("request list students page 2", request("req-list", ListCommand.newBuilder()
                        .setPersonType(PersonType.STUDENT).setPage(2).setPageSize(50).build())),
                new Sample("request list all", request("req-list-all", ListCommand.newBuilder().build())),
                new Sample("request delete", request("req-delete", DeleteCommand.newBuilder()
                        .setPersonType(PersonType.STUDENT).setPersonCode("S001").build())),
                new Sample("request delete the person of a sample", request("req-delete-person-of",
                        DeletePersonOfSampleCommand.newBuilder().setFaceDataId(7L).build())),
                new Sample("request delete by id", request("req-delete-id", DeleteByIdCommand.newBuilder()
                        .setFaceDataId(123_456_789_012L).build())),
                new Sample("request quality check", request("req-quality", QualityCheckCommand.newBuilder()
                        .setImage(image(700, 11)).build())),
                new Sample("request status", request("req-status", StatusCommand.newBuilder().build())),
                new Sample("request a sample's photo", request("req-photo", SamplePhotoCommand.newBuilder().setFaceDataId(7L).build())),
                new Sample("request a day's sessions", request("req-sessions", SessionsCommand.newBuilder()
                        .setDay(java.time.LocalDate.of(2025, 9, 1)).build())),
                new Sample("request a session's attendance", request("req-attendance", AttendanceCommand.newBuilder()
                        .setSessionId(12L).build())),
                new Sample("request model switch", request("req-model", ModelCommand.newBuilder().setAction(ModelAction.SWITCH)
                        .setPack("buffalo_s").setShadow(true).build())),
                new Sample("request model status", request("req-model-status", ModelCommand.newBuilder()
                        .setAction(ModelAction.STATUS).build())));
    }

    static Match match() {
        return Match.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001").setPersonName("Zoë Ndlovu")
                .setFaceDataId(123L).setConfidence(0.89).setSimilarityScore(0.92).build();
    }

    static AttendanceOutcome attendance(boolean newlyRecorded) {
        return AttendanceOutcome.newBuilder().setSessionId(17).setStatus(newlyRecorded ? AttendanceStatus.PRESENT : AttendanceStatus.LATE)
                .setNewlyRecorded(newlyRecorded).setRecordedAt(T0.plusMillis(5)).build();
    }

    static QualityResult quality() {
        return QualityResult.newBuilder().setScore(0.85).setFaceDetected(true).setFaceCount(1).setFaceSize("adequate")
                .setBrightness("good").setBlurLevel("low").setPose(HeadPose.newBuilder().setYaw(-3.5).setPitch(4.25).setRoll(0.5).build())
                .setRecommendation("suitable_for_enrollment").setFaceWidthPx(212.0).setMeanLuminance(131.5)
                .setSharpness(412.75).setDetectorScore(0.93).build();
    }

    static FaceReply success(String requestId, Object result) {
        return FaceReply.newBuilder().setRequestId(requestId).setSuccess(true).setWorkerId("worker-a")
                .setProcessingTimeMs(245).setResult(result).build();
    }

    static List<Sample> replies() {
        List<Float> box = List.of(10.5f, 20.25f, 110.0f, 140.75f);
        List<List<Float>> kps = List.of(List.of(40f, 60f), List.of(80f, 60f), List.of(60f, 85f), List.of(45f, 110f), List.of(75f, 110f));
        return List.of(
                new Sample("reply enroll (all fields)", success("req-enroll", EnrollResult.newBuilder()
                        .setPersonType(PersonType.STUDENT).setPersonCode("S001").setPersonName("Zoë Ndlovu")
                        .setEmbeddingId(123L).setSamples(3).setGalleryVersion(42L).setQuality(quality())
                        .setPreviousName("Zoe Ndlovu").build())),
                new Sample("reply enroll (optional fields null)", success("req-enroll-min", EnrollResult.newBuilder()
                        .setPersonType(PersonType.TEACHER).setPersonCode("T042").setEmbeddingId(124L).setSamples(1).build())),
                new Sample("reply recognize (match, attendance, box)", success("req-recognize", RecognizeResult.newBuilder()
                        .setMatch(match()).setAttendance(attendance(true)).setBbox(box).build())),
                new Sample("reply recognize (no match)", success("req-recognize-min", RecognizeResult.newBuilder().build())),
                new Sample("reply verify", success("req-verify", VerifyResult.newBuilder()
                        .setSamePerson(true).setSimilarity(0.71).setThreshold(0.4).setConfidence(0.7583).build())),
                new Sample("reply verify (from a worker before v3)", success("req-verify-v2", VerifyResult.newBuilder()
                        .setSamePerson(false).setSimilarity(0.21).setThreshold(0.4).build())),
                new Sample("reply group", success("req-group", GroupResult.newBuilder().setFaces(List.of(
                        GroupFace.newBuilder().setBbox(box).setScore(0.98f).setKps(kps).setMatch(match())
                                .setAttendance(attendance(false)).build(),
                        GroupFace.newBuilder().setBbox(List.of(200f, 30f, 260f, 100f)).setScore(0.75f).setKps(kps).build(),
                        GroupFace.newBuilder().setBbox(List.of(300f, 35f, 350f, 95f)).setScore(0.81f).setKps(kps)
                                .setMatch(Match.newBuilder().setPersonType(PersonType.TEACHER).setPersonCode("T042")
                                        .setFaceDataId(77L).setConfidence(0.61).setSimilarityScore(0.48).build())
                                .build()))
                        .build())),
                new Sample("reply group (no faces)", success("req-group-empty", GroupResult.newBuilder().setFaces(List.of()).build())),
                new Sample("reply list", success("req-list", ListResult.newBuilder().setFaces(List.of(
                        FaceEntry.newBuilder().setId(1L).setPersonType(PersonType.STUDENT).setPersonCode("S001")
                                .setPersonName("Zoë Ndlovu").setEnrollmentDate(T0).setHasImage(true).build(),
                        FaceEntry.newBuilder().setId(2L).setPersonType(PersonType.TEACHER).setPersonCode("T042")
                                .setEnrollmentDate(T0.minusSeconds(86_400)).setHasImage(false).build()))
                        .setTotalCount(25).build())),
                new Sample("reply delete", success("req-delete", DeleteResult.newBuilder().setPersonType(PersonType.STUDENT)
                        .setPersonCode("S001").setDeletedSamples(3).setGalleryVersion(45L).build())),
                new Sample("reply delete (no gallery version)", success("req-delete-id", DeleteResult.newBuilder()
                        .setPersonType(PersonType.TEACHER).setPersonCode("T042").setDeletedSamples(1).build())),
                new Sample("reply quality", success("req-quality", quality())),
                new Sample("reply quality (no face)", success("req-quality-none", QualityResult.newBuilder().setScore(0.0)
                        .setFaceDetected(false).setFaceCount(0).setRecommendation("no_face_detected").build())),
                new Sample("reply status", success("req-status", StatusResult.newBuilder().setModelPack("buffalo_l")
                        .setModelLoaded(true).setEnrolledFaces(1000).setEnrolledPersons(250).setSimilarityThreshold(0.6)
                        .setDatabaseOk(true).setGalleryVersion(41L).setResidentMemoryMb(612L)
                        .setDecision("gallery-size threshold for 0.01 of strangers accepted").setGalleryMemoryMb(12L).build())),
                new Sample("reply status (model missing)", success("req-status-down", StatusResult.newBuilder().setModelPack("buffalo_l")
                        .setModelLoaded(false).setModelError("buffalo_l/det_10g.onnx is missing").setEnrolledFaces(0)
                        .setEnrolledPersons(0).setSimilarityThreshold(0.6).setDatabaseOk(false)
                        .setCandidatePack("buffalo_s").setCandidateState("loaded").build())),
                new Sample("reply photo", success("req-photo", SamplePhotoResult.newBuilder().setFaceDataId(7L)
                        .setImage(image(300, 12)).setMediaType("image/jpeg").build())),
                new Sample("reply sessions", success("req-sessions", SessionsResult.newBuilder().setTruncated(false)
                        .setSessions(List.of(SessionEntry.newBuilder().setSessionId(12L).setStartTime(T0).setAttendanceCount(3).build()))
                        .build())),
                new Sample("reply attendance", success("req-attendance", AttendanceResult.newBuilder().setSessionId(12L)
                        .setStartTime(T0).setTruncated(false).setRecords(List.of(
                                AttendanceEntry.newBuilder().setStudentCode("S001").setStudentName("Ama Mensah").setStatus("Late")
                                        .setRecordedAtMillis(T0.plusSeconds(720).toEpochMilli()).build(),
                                AttendanceEntry.newBuilder().setStudentCode("S009").setStatus("Absent").build())).build())),
                new Sample("reply attendance (session without a start)", success("req-attendance-bare", AttendanceResult.newBuilder()
                        .setSessionId(13L).setTruncated(true).setRecords(List.of()).build())),
                new Sample("reply model", success("req-model", ModelResult.newBuilder().setActivePack("buffalo_l")
                        .setCandidatePack("buffalo_s").setShadow(true).setSamples(1200).setCandidateCovered(600)
                        .setJob("running on worker-a").setMessage("Candidate buffalo_s loaded").build())),
                new Sample("reply model comparison", success("req-model-comparison", ModelResult.newBuilder()
                        .setActivePack("buffalo_l").setCandidatePack("buffalo_s").setShadow(true).setSamples(1200)
                        .setCandidateCovered(1200).setJob("completed").setMessage("")
                        .setComparison(ShadowComparison.newBuilder().setRecognitions(3).setAgreements(2).setDisagreements(1)
                                .setDisagreementRequestIds(List.of("req-recognize")).setActiveP50Ms(245.0).setCandidateP50Ms(130.0)
                                .setActiveScores(List.of(0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 1L))
                                .setCandidateScores(List.of(0L, 0L, 0L, 0L, 0L, 0L, 2L, 0L, 0L, 0L))
                                .setActiveUnmatched(1).setCandidateUnmatched(1).build()).build())),
                new Sample("reply model (no candidate)", success("req-model-status", ModelResult.newBuilder()
                        .setActivePack("buffalo_l").setSamples(1200).setMessage("").build())),
                new Sample("reply model comparison (no recognitions yet)", success("req-model-comparison-0",
                        ModelResult.newBuilder().setActivePack("buffalo_l").setCandidatePack("buffalo_s").setShadow(true)
                                .setSamples(1200).setMessage("").setComparison(ShadowComparison.newBuilder().setRecognitions(0)
                                        .setAgreements(0).setDisagreements(0).setDisagreementRequestIds(List.of())
                                        .setActiveScores(List.of()).setCandidateScores(List.of()).setActiveUnmatched(0)
                                        .setCandidateUnmatched(0).build()).build())),
                new Sample("reply error with details", FaceReply.newBuilder().setRequestId("req-err").setSuccess(false)
                        .setError(ErrorInfo.newBuilder().setCode("NO_FACE_DETECTED")
                                .setMessage("No face detected in the provided image")
                                .setDetailsJson("{\"suggestion\":\"Ensure the image contains a clear, frontal face\"}").build())
                        .setWorkerId("worker-b").setProcessingTimeMs(12).build()),
                new Sample("reply error without details", FaceReply.newBuilder().setRequestId("req-err-min").setSuccess(false)
                        .setError(ErrorInfo.newBuilder().setCode("DATABASE_ERROR").setMessage("database unavailable").build())
                        .setWorkerId("worker-b").setProcessingTimeMs(3).build()));
    }

    static float[] embedding(int dimension, long seed) {
        Random random = new Random(seed);
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dimension; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    static List<Float> boxed(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float f : values) {
            list.add(f);
        }
        return list;
    }

    static List<Sample> galleryChanges() {
        return List.of(
                new Sample("gallery added", GalleryChange.newBuilder().setChangeId("7d0c7f5e-5f7e-4c1b-9a57-2f1f0b8f0c11")
                        .setKind(GalleryChangeKind.ADDED).setFaceDataId(123L).setPersonType(PersonType.STUDENT)
                        .setPersonCode("S001").setModelPack("buffalo_l").setOccurredAt(T0).setRequestId("req-enroll").build()),
                new Sample("gallery removed sample", GalleryChange.newBuilder().setChangeId("c3f1d1a2-0000-4000-8000-000000000001")
                        .setKind(GalleryChangeKind.REMOVED_SAMPLE).setFaceDataId(123L).setPersonType(PersonType.STUDENT)
                        .setPersonCode("S001").setModelPack("buffalo_l").setOccurredAt(T0).build()),
                new Sample("gallery removed person", GalleryChange.newBuilder().setChangeId("c3f1d1a2-0000-4000-8000-000000000002")
                        .setKind(GalleryChangeKind.REMOVED_PERSON).setPersonType(PersonType.TEACHER)
                        .setPersonCode("T042").setModelPack("buffalo_l").setOccurredAt(T0).setRequestId("req-delete").build()),
                new Sample("pack committed", PackChange.newBuilder().setChangeId("c3f1d1a2-0000-4000-8000-000000000003")
                        .setKind(PackChangeKind.COMMITTED).setModelPack("buffalo_s").setOccurredAt(T0)
                        .setRequestId("req-commit").build()),
                new Sample("pack candidate", PackChange.newBuilder().setChangeId("c3f1d1a2-0000-4000-8000-000000000004")
                        .setKind(PackChangeKind.CANDIDATE).setModelPack("buffalo_s").setOccurredAt(T0).build()));
    }

    static List<Sample> recognitionLogs() {
        return List.of(
                new Sample("log matched", RecognitionLogEvent.newBuilder().setEventId("0f8fad5b-d9cb-469f-a165-70867728950e")
                        .setRequestId("req-recognize").setOccurredAt(T0).setOperation("recognize").setSuccess(true)
                        .setPersonType(PersonType.STUDENT).setPersonCode("S001").setConfidence(0.89).setSimilarity(0.92)
                        .setProcessingTimeMs(245).setSourceImageName("attendance_scan.jpg").setWorkerId("worker-a")
                        .setModelPack("buffalo_l").setSessionId(17).build()),
                new Sample("log failed", RecognitionLogEvent.newBuilder().setEventId("7c9e6679-7425-40de-944b-e07fc1f90ae7")
                        .setRequestId("req-recognize-min").setOccurredAt(T0).setOperation("teacher_login").setSuccess(false)
                        .setProcessingTimeMs(80).setErrorCode("NO_FACE_DETECTED").setWorkerId("worker-a")
                        .setModelPack("buffalo_l").build()),
                new Sample("log shadow", RecognitionLogEvent.newBuilder().setEventId("9a1b2c3d-0000-4000-8000-000000000005")
                        .setRequestId("req-recognize").setOccurredAt(T0).setOperation("shadow_recognize").setSuccess(true)
                        .setPersonType(PersonType.STUDENT).setPersonCode("S001").setSimilarity(0.92).setProcessingTimeMs(245)
                        .setWorkerId("worker-a").setModelPack("buffalo_s")
                        .setShadow(ShadowOutcome.newBuilder().setCandidatePack("buffalo_s")
                                .setRunId("5b8e2c1a-0000-4000-8000-000000000006").setAgreed(false)
                                .setActivePersonType(PersonType.STUDENT).setActivePersonCode("S001").setActiveSimilarity(0.92)
                                .setActiveMs(245).setCandidatePersonType(PersonType.TEACHER).setCandidatePersonCode("T042")
                                .setCandidateSimilarity(0.61).setCandidateMs(130).build()).build()),
                new Sample("log shadow (neither matched)", RecognitionLogEvent.newBuilder()
                        .setEventId("9a1b2c3d-0000-4000-8000-000000000007").setRequestId("req-recognize-2").setOccurredAt(T0)
                        .setOperation("shadow_recognize").setSuccess(false).setProcessingTimeMs(200).setWorkerId("worker-b")
                        .setModelPack("buffalo_s").setShadow(ShadowOutcome.newBuilder().setCandidatePack("buffalo_s")
                                .setRunId("5b8e2c1a-0000-4000-8000-000000000006").setAgreed(true).setActiveMs(200)
                                .setCandidateMs(120).build()).build()));
    }

    static BulkEnrollJob bulkJob() {
        return BulkEnrollJob.newBuilder().setJobId("job-1").setSubmittedAt(T0).setClient("admin").setSourceName("form7.csv")
                .setAllowDuplicate(false).setItems(List.of(
                        BulkEnrollItem.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001")
                                .setPersonName("Zoë Ndlovu").setImagePath("form7/S001.jpg").setSourceLine(2).build(),
                        BulkEnrollItem.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S002")
                                .setImagePath("form7/S002.png").build()))
                .build();
    }

    static List<Sample> bulkProgress() {
        return List.of(
                new Sample("bulk progress running", BulkJobProgress.newBuilder().setJobId("job-1").setStatus(BulkJobStatus.RUNNING)
                        .setTotal(2).setDone(1).setFailed(0).setWorkerId("worker-a").setUpdatedAt(T0).build()),
                new Sample("bulk progress completed with a failure", BulkJobProgress.newBuilder().setJobId("job-1")
                        .setStatus(BulkJobStatus.COMPLETED).setTotal(2).setDone(2).setFailed(1)
                        .setLastError(BulkItemFailure.newBuilder().setItemIndex(1).setPersonCode("S002").setSourceLine(3)
                                .setError(ErrorInfo.newBuilder().setCode("NO_FACE_DETECTED").setMessage("No face detected").build())
                                .build())
                        .setWorkerId("worker-a").setUpdatedAt(T0.plusSeconds(4)).build()),
                new Sample("bulk progress aborted", BulkJobProgress.newBuilder().setJobId("job-2").setStatus(BulkJobStatus.ABORTED)
                        .setTotal(40).setDone(0).setFailed(0)
                        .setLastError(BulkItemFailure.newBuilder().setItemIndex(-1)
                                .setError(ErrorInfo.newBuilder().setCode("VALIDATION_ERROR").setMessage("BULK_IMPORT_DIR does not exist").build())
                                .build())
                        .setWorkerId("worker-b").setUpdatedAt(T0).build()),
                new Sample("migration progress with its report", BulkJobProgress.newBuilder().setJobId("mig-1")
                        .setStatus(BulkJobStatus.COMPLETED).setTotal(3).setDone(3).setFailed(1).setWorkerId("worker-a")
                        .setUpdatedAt(T0).setReportJson("{\"batch_id\":\"mig-1\",\"migrated\":2}").build()));
    }
}

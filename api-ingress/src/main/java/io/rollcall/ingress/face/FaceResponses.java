package io.rollcall.ingress.face;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rollcall.ingress.http.SchoolTime;
import io.rollcall.schemas.AttendanceOutcome;
import io.rollcall.schemas.FaceEntry;
import io.rollcall.schemas.GroupFace;
import io.rollcall.schemas.HeadPose;
import io.rollcall.schemas.Match;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.QualityResult;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP response bodies, exactly as the requirements show them (snake_case), built from the workers' Avro
 * results. Times are written by {@link SchoolTime}: ISO 8601 with the school's offset.
 */
final class FaceResponses {

    private FaceResponses() {
    }

    /** {@code person_name} and {@code previous_name} appear only when the enrollment renamed the person. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Enrolled(boolean success, String message, String personCode, long embeddingId, int samples, String personName,
                    String previousName) {
    }

    record MatchBody(String personType, String personCode, String personName, double confidence, double similarityScore) {
        static MatchBody of(Match m) {
            return m == null ? null : new MatchBody(wire(m.getPersonType()), m.getPersonCode(), m.getPersonName(),
                    m.getConfidence(), m.getSimilarityScore());
        }
    }

    record Attendance(int sessionId, String status, boolean newlyRecorded, String recordedAt) {
        static Attendance of(AttendanceOutcome a, SchoolTime time) {
            return a == null ? null : new Attendance(a.getSessionId(),
                    a.getStatus().name().charAt(0) + a.getStatus().name().substring(1).toLowerCase(Locale.ROOT),
                    a.getNewlyRecorded(), time.toSecond(a.getRecordedAt()));
        }
    }

    record Recognized(boolean success, MatchBody match, long processingTimeMs,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Attendance attendance) {
    }

    record Verified(boolean success, boolean samePerson, double similarityScore, Double confidence, double threshold,
                    long processingTimeMs) {
    }

    record GroupFaceBody(List<Float> bbox, float score, MatchBody match,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Attendance attendance) {
        static GroupFaceBody of(GroupFace f, SchoolTime time) {
            return new GroupFaceBody(f.getBbox(), f.getScore(), MatchBody.of(f.getMatch()), Attendance.of(f.getAttendance(), time));
        }
    }

    record Group(boolean success, List<GroupFaceBody> faces, int faceCount, int recognizedCount, long processingTimeMs) {
    }

    /**
     * One enrolled person, or one face sample when listed per sample. For a person, {@code id} and
     * {@code enrollmentDate} are those of the oldest sample, and {@code hasImage} says whether any sample keeps its photo.
     */
    record FaceItem(long id, String personType, String personCode, String personName, String enrollmentDate,
                    boolean hasImage, int samples) {
        static FaceItem of(FaceEntry e, SchoolTime time) {
            return new FaceItem(e.getId(), wire(e.getPersonType()), e.getPersonCode(), e.getPersonName(),
                    time.toSecond(e.getEnrollmentDate()), e.getHasImage(), e.getSamples());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Listed(boolean success, List<FaceItem> faces, int totalCount, Integer page, Integer pageSize) {
    }

    record Deleted(boolean success, String message, int deletedSamples) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchItem(String personCode, boolean success, String message, Long embeddingId, String errorCode) {
    }

    record Summary(int total, int successful, int failed) {
    }

    record Batch(boolean success, List<BatchItem> results, Summary summary) {
    }

    record Pose(double yaw, double pitch, double roll) {
    }

    record Quality(double score, boolean faceDetected, int faceCount, String faceSize, String brightness, String blurLevel,
                   Pose pose, String recommendation, Double faceWidthPx, Double meanLuminance, Double sharpness,
                   Double detectorScore) {
        static Quality of(QualityResult q) {
            HeadPose p = q.getPose();
            return new Quality(q.getScore(), q.getFaceDetected(), q.getFaceCount(), q.getFaceSize(), q.getBrightness(),
                    q.getBlurLevel(), p == null ? null : new Pose(p.getYaw(), p.getPitch(), p.getRoll()), q.getRecommendation(),
                    q.getFaceWidthPx(), q.getMeanLuminance(), q.getSharpness(), q.getDetectorScore());
        }
    }

    record QualityChecked(boolean success, Quality quality) {
    }

    static String wire(PersonType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}

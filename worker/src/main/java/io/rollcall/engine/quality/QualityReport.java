package io.rollcall.engine.quality;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The requirements' quality object, plus the raw measurements behind each verdict so that a client can explain
 * a rejection. Verdict fields are {@code null} where no face was found.
 *
 * @param score            overall quality 0..1, see {@link QualityAssessor} for the formula
 * @param faceDetected     at least one face passed the detector threshold
 * @param faceCount        number of faces found
 * @param faceSize         whether the primary face is large enough to enroll
 * @param brightness       exposure of the face region
 * @param blurLevel        blur of the aligned face crop
 * @param pose             estimated head pose of the primary face
 * @param recommendation   {@code suitable_for_enrollment} or the first reason to retake the photo
 * @param faceWidthPx      shorter side of the primary face box, in pixels
 * @param meanLuminance    mean luma (0..255) inside the face box
 * @param sharpness        variance of the Laplacian over the aligned 112×112 grey crop
 * @param detectorScore    detector confidence of the primary face
 */
public record QualityReport(
        double score,
        boolean faceDetected,
        int faceCount,
        FaceSize faceSize,
        Brightness brightness,
        BlurLevel blurLevel,
        Pose pose,
        Recommendation recommendation,
        Double faceWidthPx,
        Double meanLuminance,
        Double sharpness,
        Double detectorScore) {

    public boolean suitableForEnrollment() {
        return recommendation == Recommendation.SUITABLE_FOR_ENROLLMENT;
    }

    public enum FaceSize {
        ADEQUATE, TOO_SMALL;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Brightness {
        TOO_DARK, GOOD, TOO_BRIGHT;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum BlurLevel {
        LOW, MEDIUM, HIGH;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** In priority order: the first that applies is reported. */
    public enum Recommendation {
        NO_FACE_DETECTED, MULTIPLE_FACES, FACE_TOO_SMALL, TOO_DARK, TOO_BRIGHT, TOO_BLURRY, FACE_NOT_FRONTAL,
        SUITABLE_FOR_ENROLLMENT;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

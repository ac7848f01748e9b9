package io.rollcall.engine.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.detect.DetectorSettings;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.quality.QualityReport.BlurLevel;
import io.rollcall.engine.quality.QualityReport.Brightness;
import io.rollcall.engine.quality.QualityReport.FaceSize;
import io.rollcall.engine.quality.QualityReport.Recommendation;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.testing.DevData;
import java.util.function.Consumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** The quality check on real photos, and on the same photos spoiled in known ways. */
class QualityAssessmentTest {
    private static final String GOOD = "angelina_jolie/04.jpg";

    @Test
    void aSharpWellLitFrontalPhotoIsSuitableForEnrollment() {
        QualityReport q = assess(GOOD, m -> { });
        assertThat(q.faceDetected()).isTrue();
        assertThat(q.faceCount()).isEqualTo(1);
        assertThat(q.faceSize()).isEqualTo(FaceSize.ADEQUATE);
        assertThat(q.brightness()).isEqualTo(Brightness.GOOD);
        assertThat(q.blurLevel()).isEqualTo(BlurLevel.LOW);
        assertThat(q.recommendation()).isEqualTo(Recommendation.SUITABLE_FOR_ENROLLMENT);
        assertThat(q.score()).isGreaterThan(0.85);
    }

    @Test
    void aBlurredCopyIsRejectedAsTooBlurry() {
        QualityReport sharp = assess(GOOD, m -> { });
        QualityReport blurred = assess(GOOD, m -> opencv_imgproc.GaussianBlur(m, m, new Size(0, 0), 5.0));
        assertThat(blurred.blurLevel()).isEqualTo(BlurLevel.HIGH);
        assertThat(blurred.recommendation()).isEqualTo(Recommendation.TOO_BLURRY);
        assertThat(blurred.sharpness()).isLessThan(sharp.sharpness() / 10);
        assertThat(blurred.score()).isLessThan(sharp.score());
    }

    @Test
    void aDarkenedCopyIsTooDarkAndAWashedOutCopyTooBright() {
        QualityReport dark = assess(GOOD, m -> m.convertTo(m, -1, 0.3, 0));
        assertThat(dark.brightness()).isEqualTo(Brightness.TOO_DARK);
        assertThat(dark.recommendation()).isEqualTo(Recommendation.TOO_DARK);

        QualityReport bright = assess(GOOD, m -> m.convertTo(m, -1, 0.5, 150));
        assertThat(bright.brightness()).isEqualTo(Brightness.TOO_BRIGHT);
        assertThat(bright.recommendation()).isEqualTo(Recommendation.TOO_BRIGHT);
    }

    @Test
    void aSmallFaceIsTooSmall() {
        // katy_perry/02: a 106 px face; at 60 % it is about 64 px, under the 80 px minimum.
        QualityReport q = assess("katy_perry/02.jpg", m -> opencv_imgproc.resize(m, m, new Size(447, 279)));
        assertThat(q.faceDetected()).isTrue();
        assertThat(q.faceSize()).isEqualTo(FaceSize.TOO_SMALL);
        assertThat(q.recommendation()).isEqualTo(Recommendation.FACE_TOO_SMALL);
    }

    @Test
    void rollIsMeasuredFromTheEyeLineAndTooMuchTiltIsNotFrontal() {
        double upright = assess(GOOD, m -> { }).pose().roll();
        // Rotating the picture 20 degrees counter-clockwise tilts the eye line by 20 degrees.
        QualityReport tilted = assess(GOOD, m -> rotate(m, 20));
        assertThat(tilted.pose().roll() - upright).isCloseTo(-20.0, within(4.0));
        QualityReport strong = assess(GOOD, m -> rotate(m, 40));
        assertThat(strong.recommendation()).isEqualTo(Recommendation.FACE_NOT_FRONTAL);
    }

    @Test
    void noFaceAndSeveralSimilarFacesAreReportedAsSuch() {
        QualityReport none = assess("_noface/03.jpg", m -> { });
        assertThat(none.faceDetected()).isFalse();
        assertThat(none.faceCount()).isZero();
        assertThat(none.score()).isZero();
        assertThat(none.recommendation()).isEqualTo(Recommendation.NO_FACE_DETECTED);

        QualityReport group = assess("_group/01.jpg", m -> { });
        assertThat(group.faceCount()).isEqualTo(2);
        assertThat(group.recommendation()).isEqualTo(Recommendation.MULTIPLE_FACES);
    }

    @Test
    void enrollmentIsGatedByQualityOnlyWhenTheCheckIsEnabled() {
        byte[] dark = encode(GOOD, m -> m.convertTo(m, -1, 0.3, 0));
        try (DecodedImage image = DevData.decoder().decode(dark)) {
            assertThatThrownBy(() -> DevData.engine().enrollmentEmbedding(image))
                    .isInstanceOfSatisfying(RollcallException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.LOW_QUALITY_IMAGE);
                        assertThat(e.details()).containsEntry("recommendation", "too_dark");
                    });
        }
        EngineSettings ungated = new EngineSettings(DetectorSettings.DEFAULT, 1, 1, false);
        try (FaceEngine engine = DevData.open(ungated); DecodedImage image = DevData.decoder().decode(dark)) {
            FaceEngine.Enrollment enrollment = engine.enrollmentEmbedding(image);
            assertThat(enrollment.embedding()).hasSize(512);
            assertThat(enrollment.quality().recommendation()).isEqualTo(Recommendation.TOO_DARK);
        }
    }

    @Test
    void enrollmentNeedsOneClearlyDominantFace() {
        try (DecodedImage image = DevData.decode("_noface/05.png")) {
            assertThatThrownBy(() -> DevData.engine().enrollmentEmbedding(image))
                    .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_FACE_DETECTED));
        }
        try (DecodedImage image = DevData.decode("_group/01.jpg")) {
            assertThatThrownBy(() -> DevData.engine().enrollmentEmbedding(image))
                    .isInstanceOfSatisfying(RollcallException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MULTIPLE_FACES);
                        assertThat(e.details()).containsEntry("face_count", 2);
                    });
        }
        try (DecodedImage image = DevData.decode("angelina_jolie/04.jpg")) {
            assertThat(DevData.engine().enrollmentEmbedding(image).faceCount()).isEqualTo(1);
        }
    }

    private static QualityReport assess(String photo, Consumer<Mat> spoil) {
        try (DecodedImage image = DevData.decoder().decode(encode(photo, spoil))) {
            return DevData.engine().assessQuality(image);
        }
    }

    /** Decodes a dev photo, applies a change, and re-encodes it losslessly so it goes through the real decoder. */
    private static byte[] encode(String photo, Consumer<Mat> spoil) {
        try (DecodedImage original = DevData.decode(photo); Mat copy = original.mat().clone(); BytePointer out = new BytePointer()) {
            spoil.accept(copy);
            opencv_imgcodecs.imencode(".png", copy, out);
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    private static void rotate(Mat m, double degrees) {
        try (Point2f centre = new Point2f(m.cols() / 2f, m.rows() / 2f);
             Mat rotation = opencv_imgproc.getRotationMatrix2D(centre, degrees, 1.0)) {
            opencv_imgproc.warpAffine(m, m, rotation, m.size(), opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_CONSTANT, new org.bytedeco.opencv.opencv_core.Scalar(0.0));
        }
    }
}

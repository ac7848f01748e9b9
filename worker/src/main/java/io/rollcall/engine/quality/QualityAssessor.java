package io.rollcall.engine.quality;

import io.rollcall.engine.detect.BoundingBox;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.quality.QualityReport.BlurLevel;
import io.rollcall.engine.quality.QualityReport.Brightness;
import io.rollcall.engine.quality.QualityReport.FaceSize;
import io.rollcall.engine.quality.QualityReport.Recommendation;
import io.rollcall.engine.detect.PrimaryFace;
import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Judges whether a photo is good enough to enroll from. Heuristic thresholds, chosen on the dev photos and
 * written down here so they can be argued with:
 * <ul>
 *   <li>face size: shorter side of the face box ≥ {@value #MIN_FACE_PX} px (below that the 112 px ArcFace crop is upsampled);</li>
 *   <li>brightness: mean luma of the face box in [{@value #DARK_LUMA}, {@value #BRIGHT_LUMA}];</li>
 *   <li>blur: variance of the Laplacian of the aligned 112×112 grey crop (scale-independent because the crop
 *       is always the same size): &lt; {@value #BLURRY_VARIANCE} high, &lt; {@value #SOFT_VARIANCE} medium, else low;</li>
 *   <li>pose: |yaw| ≤ {@value #MAX_YAW}°, |pitch| ≤ {@value #MAX_PITCH}°, |roll| ≤ {@value #MAX_ROLL}°.</li>
 * </ul>
 * Score = 0.25·size + 0.25·sharpness + 0.20·brightness + 0.20·pose + 0.10·detector, each part in 0..1:
 * size = clamp((side − 40) / (112 − 40)); sharpness = clamp(variance / {@value #SHARP_VARIANCE});
 * brightness = clamp(1 − |luma − 128| / 128 × 1.5); pose = clamp(1 − max(|yaw|/60, |pitch|/60, |roll|/60));
 * detector = clamp((score − 0.5) / 0.4). With several faces of similar size the score is halved.
 */
public final class QualityAssessor {
    static final int MIN_FACE_PX = 80;
    static final int DARK_LUMA = 60;
    static final int BRIGHT_LUMA = 200;
    static final int BLURRY_VARIANCE = 60;
    static final int SOFT_VARIANCE = 200;
    static final int SHARP_VARIANCE = 400;
    static final int MAX_YAW = 35;
    static final int MAX_PITCH = 30;
    static final int MAX_ROLL = 30;

    private QualityAssessor() {
    }

    /**
     * @param bgr       the whole image
     * @param faces     every face the detector found, largest first
     * @param alignedBgr the 112×112 aligned crop of the primary face, or {@code null} when there is no face
     */
    public static QualityReport assess(Mat bgr, List<DetectedFace> faces, Mat alignedBgr) {
        Optional<DetectedFace> primary = PrimaryFace.of(faces);
        if (faces.isEmpty() || alignedBgr == null) {
            return new QualityReport(0.0, false, 0, null, null, null, null, Recommendation.NO_FACE_DETECTED,
                    null, null, null, null);
        }
        DetectedFace face = primary.orElse(faces.get(0));
        BoundingBox box = face.box();
        double side = Math.min(box.width(), box.height());
        double luma = meanLuma(bgr, box);
        double sharpness = laplacianVariance(alignedBgr);
        Pose pose = Pose.fromLandmarks(face.keypoints());

        FaceSize size = side >= MIN_FACE_PX ? FaceSize.ADEQUATE : FaceSize.TOO_SMALL;
        Brightness brightness = luma < DARK_LUMA ? Brightness.TOO_DARK : luma > BRIGHT_LUMA ? Brightness.TOO_BRIGHT : Brightness.GOOD;
        BlurLevel blur = sharpness < BLURRY_VARIANCE ? BlurLevel.HIGH : sharpness < SOFT_VARIANCE ? BlurLevel.MEDIUM : BlurLevel.LOW;
        boolean frontal = Math.abs(pose.yaw()) <= MAX_YAW && Math.abs(pose.pitch()) <= MAX_PITCH && Math.abs(pose.roll()) <= MAX_ROLL;

        Recommendation recommendation;
        if (primary.isEmpty()) {
            recommendation = Recommendation.MULTIPLE_FACES;
        } else if (size == FaceSize.TOO_SMALL) {
            recommendation = Recommendation.FACE_TOO_SMALL;
        } else if (brightness == Brightness.TOO_DARK) {
            recommendation = Recommendation.TOO_DARK;
        } else if (brightness == Brightness.TOO_BRIGHT) {
            recommendation = Recommendation.TOO_BRIGHT;
        } else if (blur == BlurLevel.HIGH) {
            recommendation = Recommendation.TOO_BLURRY;
        } else if (!frontal) {
            recommendation = Recommendation.FACE_NOT_FRONTAL;
        } else {
            recommendation = Recommendation.SUITABLE_FOR_ENROLLMENT;
        }

        double score = 0.25 * clamp((side - 40) / (112 - 40))
                + 0.25 * clamp(sharpness / SHARP_VARIANCE)
                + 0.20 * clamp(1 - Math.abs(luma - 128) / 128 * 1.5)
                + 0.20 * clamp(1 - Math.max(Math.abs(pose.yaw()), Math.max(Math.abs(pose.pitch()), Math.abs(pose.roll()))) / 60)
                + 0.10 * clamp((face.score() - 0.5) / 0.4);
        if (primary.isEmpty()) {
            score *= 0.5;
        }
        return new QualityReport(round(score), true, faces.size(), size, brightness, blur, pose, recommendation,
                round(side), round(luma), round(sharpness), round(face.score()));
    }

    private static double meanLuma(Mat bgr, BoundingBox box) {
        int x1 = Math.max(0, (int) Math.floor(box.x1()));
        int y1 = Math.max(0, (int) Math.floor(box.y1()));
        int x2 = Math.min(bgr.cols(), (int) Math.ceil(box.x2()));
        int y2 = Math.min(bgr.rows(), (int) Math.ceil(box.y2()));
        if (x2 <= x1 || y2 <= y1) {
            return 0;
        }
        try (Rect rect = new Rect(x1, y1, x2 - x1, y2 - y1);
             Mat region = new Mat(bgr, rect);
             Mat grey = new Mat()) {
            opencv_imgproc.cvtColor(region, grey, opencv_imgproc.COLOR_BGR2GRAY);
            try (Scalar mean = opencv_core.mean(grey)) {
                return mean.get(0);
            }
        }
    }

    private static double laplacianVariance(Mat alignedBgr) {
        try (Mat grey = new Mat(); Mat laplacian = new Mat(); Mat mean = new Mat(); Mat stddev = new Mat()) {
            opencv_imgproc.cvtColor(alignedBgr, grey, opencv_imgproc.COLOR_BGR2GRAY);
            opencv_imgproc.Laplacian(grey, laplacian, opencv_core.CV_64F);
            opencv_core.meanStdDev(laplacian, mean, stddev);
            double sd = stddev.ptr(0).getDouble();
            return sd * sd;
        }
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}

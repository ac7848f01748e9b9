package io.rollcall.engine.align;

import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.detect.Point;
import java.util.List;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Warps a detected face onto the standard ArcFace 112×112 crop: similarity transform from its five keypoints to
 * {@link #ARCFACE_TEMPLATE}, bilinear sampling, black outside the image (InsightFace {@code face_align.norm_crop}).
 */
public final class FaceAligner {
    /** Canonical landmark positions of the ArcFace training crops (InsightFace {@code arcface_dst}). */
    public static final List<Point> ARCFACE_TEMPLATE = List.of(
            new Point(38.2946f, 51.6963f),
            new Point(73.5318f, 51.5014f),
            new Point(56.0252f, 71.7366f),
            new Point(41.5493f, 92.3655f),
            new Point(70.7299f, 92.2041f));
    public static final int CROP_SIZE = 112;

    private FaceAligner() {
    }

    public static SimilarityTransform transformFor(DetectedFace face) {
        return SimilarityTransform.estimate(face.keypoints(), ARCFACE_TEMPLATE);
    }

    /** Returns a new 112×112 BGR crop; the caller closes it. */
    public static Mat align(Mat bgr, DetectedFace face) {
        double[] m = transformFor(face).toAffineMatrix();
        Mat crop = new Mat();
        try (Mat matrix = new Mat(2, 3, opencv_core.CV_64F);
             DoubleIndexer idx = matrix.createIndexer();
             Size size = new Size(CROP_SIZE, CROP_SIZE);
             Scalar black = new Scalar(0.0)) {
            for (int i = 0; i < 6; i++) {
                idx.put(i / 3, i % 3, m[i]);
            }
            opencv_imgproc.warpAffine(bgr, crop, matrix, size, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_CONSTANT, black);
        }
        return crop;
    }
}

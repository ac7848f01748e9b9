package io.rollcall.engine.align;

import static io.rollcall.engine.align.FaceAligner.ARCFACE_TEMPLATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.engine.detect.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimilarityTransformTest {

    @Test
    void templateOntoItselfIsTheIdentity() {
        SimilarityTransform t = SimilarityTransform.estimate(ARCFACE_TEMPLATE, ARCFACE_TEMPLATE);
        assertThat(t.a()).isCloseTo(1.0, within(1e-9));
        assertThat(t.b()).isCloseTo(0.0, within(1e-9));
        assertThat(t.tx()).isCloseTo(0.0, within(1e-6));
        assertThat(t.ty()).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void recoversAKnownScaleRotationAndTranslationExactly() {
        // Landmarks of a face 3.2x the template size, rotated 25 degrees, shifted: alignment must undo exactly that.
        SimilarityTransform known = fromParts(3.2, 25.0, 410.0, -37.5);
        List<Point> observed = ARCFACE_TEMPLATE.stream().map(known::apply).toList();

        SimilarityTransform estimated = SimilarityTransform.estimate(observed, ARCFACE_TEMPLATE);

        assertThat(estimated.scale()).isCloseTo(1 / 3.2, within(1e-6));
        assertThat(estimated.rotationDegrees()).isCloseTo(-25.0, within(1e-4));
        for (int i = 0; i < observed.size(); i++) {
            Point mapped = estimated.apply(observed.get(i));
            assertThat(mapped.x()).isCloseTo(ARCFACE_TEMPLATE.get(i).x(), within(1e-3f));
            assertThat(mapped.y()).isCloseTo(ARCFACE_TEMPLATE.get(i).y(), within(1e-3f));
        }
    }

    @Test
    void noisyLandmarksGetTheLeastSquaresFit() {
        List<Point> noisy = List.of(
                new Point(101.3f, 203.9f), new Point(180.2f, 199.4f), new Point(143.8f, 251.0f),
                new Point(112.0f, 290.7f), new Point(171.5f, 288.2f));
        SimilarityTransform best = SimilarityTransform.estimate(noisy, ARCFACE_TEMPLATE);
        double bestError = squaredError(best, noisy);
        // Any nudge of any parameter must increase the squared error (a least-squares minimum).
        double[] steps = {1e-3, -1e-3};
        for (double d : steps) {
            assertThat(squaredError(new SimilarityTransform(best.a() + d, best.b(), best.tx(), best.ty()), noisy)).isGreaterThan(bestError);
            assertThat(squaredError(new SimilarityTransform(best.a(), best.b() + d, best.tx(), best.ty()), noisy)).isGreaterThan(bestError);
            assertThat(squaredError(new SimilarityTransform(best.a(), best.b(), best.tx() + d, best.ty()), noisy)).isGreaterThan(bestError);
            assertThat(squaredError(new SimilarityTransform(best.a(), best.b(), best.tx(), best.ty() + d), noisy)).isGreaterThan(bestError);
        }
    }

    @Test
    void mirroredLandmarksStillGiveAProperRotationNotAReflection() {
        List<Point> mirrored = ARCFACE_TEMPLATE.stream().map(p -> new Point(200 - p.x(), p.y())).toList();
        SimilarityTransform t = SimilarityTransform.estimate(mirrored, ARCFACE_TEMPLATE);
        double[] m = t.toAffineMatrix();
        double determinant = m[0] * m[4] - m[1] * m[3];
        assertThat(determinant).isPositive();
    }

    @Test
    void affineMatrixIsRowMajorForWarpAffine() {
        SimilarityTransform t = new SimilarityTransform(0.5, 0.25, 10, 20);
        assertThat(t.toAffineMatrix()).containsExactly(0.5, -0.25, 10, 0.25, 0.5, 20);
        Point p = t.apply(new Point(4, 8));
        assertThat(p.x()).isCloseTo(0.5f * 4 - 0.25f * 8 + 10, within(1e-6f));
        assertThat(p.y()).isCloseTo(0.25f * 4 + 0.5f * 8 + 20, within(1e-6f));
    }

    private static SimilarityTransform fromParts(double scale, double degrees, double tx, double ty) {
        double r = Math.toRadians(degrees);
        return new SimilarityTransform(scale * Math.cos(r), scale * Math.sin(r), tx, ty);
    }

    private static double squaredError(SimilarityTransform t, List<Point> from) {
        double sum = 0;
        for (int i = 0; i < from.size(); i++) {
            double x = t.a() * from.get(i).x() - t.b() * from.get(i).y() + t.tx();
            double y = t.b() * from.get(i).x() + t.a() * from.get(i).y() + t.ty();
            sum += Math.pow(x - ARCFACE_TEMPLATE.get(i).x(), 2) + Math.pow(y - ARCFACE_TEMPLATE.get(i).y(), 2);
        }
        return sum;
    }
}

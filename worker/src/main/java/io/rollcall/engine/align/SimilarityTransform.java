package io.rollcall.engine.align;

import io.rollcall.engine.detect.Point;
import java.util.List;

/**
 * A 2-D similarity transform (uniform scale, rotation, translation) {@code [a -b tx; b a ty]}.
 *
 * <p>{@link #estimate} is the least-squares fit (Umeyama 1991, as in scikit-image's
 * {@code SimilarityTransform.estimate}, which InsightFace uses). In 2-D it has a closed form: writing points as
 * complex numbers z (source) and w (target), the best {@code w ≈ s·z + t} has
 * {@code s = Σ (w−w̄)·conj(z−z̄) / Σ |z−z̄|²} and {@code t = w̄ − s·z̄}. Umeyama's SVD with the reflection guard
 * yields the same proper similarity.
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

    public static SimilarityTransform estimate(List<Point> from, List<Point> to) {
        int n = from.size();
        if (n != to.size() || n < 2) {
            throw new IllegalArgumentException("need at least two point pairs of equal count, got " + n + " and " + to.size());
        }
        double zx = 0;
        double zy = 0;
        double wx = 0;
        double wy = 0;
        for (int i = 0; i < n; i++) {
            zx += from.get(i).x();
            zy += from.get(i).y();
            wx += to.get(i).x();
            wy += to.get(i).y();
        }
        zx /= n;
        zy /= n;
        wx /= n;
        wy /= n;
        double re = 0;
        double im = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double x = from.get(i).x() - zx;
            double y = from.get(i).y() - zy;
            double u = to.get(i).x() - wx;
            double v = to.get(i).y() - wy;
            // (u + iv)(x − iy) = (ux + vy) + i(vx − uy)
            re += u * x + v * y;
            im += v * x - u * y;
            norm += x * x + y * y;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("source points are all identical");
        }
        double a = re / norm;
        double b = im / norm;
        return new SimilarityTransform(a, b, wx - (a * zx - b * zy), wy - (b * zx + a * zy));
    }

    public double scale() {
        return Math.hypot(a, b);
    }

    /** Rotation in degrees, counter-clockwise in a y-up frame (clockwise as seen in an image). */
    public double rotationDegrees() {
        return Math.toDegrees(Math.atan2(b, a));
    }

    public Point apply(Point p) {
        return new Point((float) (a * p.x() - b * p.y() + tx), (float) (b * p.x() + a * p.y() + ty));
    }

    /** Row-major 2×3 matrix, as {@code cv::warpAffine} takes it. */
    public double[] toAffineMatrix() {
        return new double[] {a, -b, tx, b, a, ty};
    }
}

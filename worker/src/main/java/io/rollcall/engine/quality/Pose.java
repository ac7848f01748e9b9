package io.rollcall.engine.quality;

import io.rollcall.engine.detect.Point;
import java.util.List;

/**
 * Head pose in degrees, estimated from the five landmarks alone. This is a heuristic, not a 3-D fit:
 * <ul>
 *   <li>roll = angle of the line from the left to the right eye;</li>
 *   <li>the landmarks are then de-rotated by the roll, and the nose tip is modelled as standing
 *       {@link #NOSE_DEPTH_RATIO} × inter-eye distance in front of the plane of eyes and mouth;</li>
 *   <li>yaw = atan(horizontal nose offset from the eye/mouth midline ÷ nose depth);</li>
 *   <li>pitch = atan(vertical nose offset from its frontal position ÷ nose depth), the frontal position being
 *       where the ArcFace template puts it: {@link #FRONTAL_NOSE_HEIGHT} of the way from the eye line to the mouth line.</li>
 * </ul>
 * Signs: positive yaw = nose towards the image's right, positive pitch = nose lower (head down), positive roll =
 * right eye lower than the left.
 */
public record Pose(double yaw, double pitch, double roll) {
    /** Nose-tip protrusion relative to the inter-eye distance (anthropometric average, about 0.45). */
    static final double NOSE_DEPTH_RATIO = 0.45;
    /** (71.74 − 51.6) / (92.28 − 51.6) on the ArcFace template. */
    static final double FRONTAL_NOSE_HEIGHT = 0.495;

    public static Pose fromLandmarks(List<Point> k) {
        Point le = k.get(0);
        Point re = k.get(1);
        double rollRad = Math.atan2(re.y() - le.y(), re.x() - le.x());
        double cos = Math.cos(-rollRad);
        double sin = Math.sin(-rollRad);
        double[] xs = new double[5];
        double[] ys = new double[5];
        for (int i = 0; i < 5; i++) {
            double x = k.get(i).x() - le.x();
            double y = k.get(i).y() - le.y();
            xs[i] = x * cos - y * sin;
            ys[i] = x * sin + y * cos;
        }
        double interEye = Math.hypot(xs[1] - xs[0], ys[1] - ys[0]);
        if (interEye < 1e-6) {
            return new Pose(0, 0, Math.toDegrees(rollRad));
        }
        double depth = NOSE_DEPTH_RATIO * interEye;
        double eyeMidX = (xs[0] + xs[1]) / 2;
        double mouthMidX = (xs[3] + xs[4]) / 2;
        double eyeY = (ys[0] + ys[1]) / 2;
        double mouthY = (ys[3] + ys[4]) / 2;
        double midline = (eyeMidX + mouthMidX) / 2;
        double yaw = Math.toDegrees(Math.atan((xs[2] - midline) / depth));
        double frontalNoseY = eyeY + FRONTAL_NOSE_HEIGHT * (mouthY - eyeY);
        double pitch = Math.toDegrees(Math.atan((ys[2] - frontalNoseY) / depth));
        return new Pose(yaw, pitch, Math.toDegrees(rollRad));
    }
}

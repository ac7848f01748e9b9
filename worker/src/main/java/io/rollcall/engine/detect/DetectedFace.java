package io.rollcall.engine.detect;

import java.util.List;

/**
 * One detected face.
 *
 * @param box       face box in original image pixels
 * @param score     detector confidence, 0..1
 * @param keypoints the five SCRFD landmarks in order: left eye, right eye, nose tip, left and right mouth corner
 *                  (left/right as seen in the image)
 */
public record DetectedFace(BoundingBox box, float score, List<Point> keypoints) {
    public static final int KEYPOINTS = 5;

    public DetectedFace {
        keypoints = List.copyOf(keypoints);
        if (keypoints.size() != KEYPOINTS) {
            throw new IllegalArgumentException("expected 5 keypoints, got " + keypoints.size());
        }
    }
}

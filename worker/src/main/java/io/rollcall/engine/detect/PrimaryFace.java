package io.rollcall.engine.detect;

import java.util.List;
import java.util.Optional;

/**
 * Which face a single-face operation (enroll, quality check, 1:1 verify) uses: the largest, provided it clearly
 * dominates. A second face at least {@code 1 / DOMINANCE_RATIO} of its area makes the photo ambiguous.
 */
public final class PrimaryFace {
    /** The largest face must have at least twice the area of the next one. */
    public static final double DOMINANCE_RATIO = 2.0;

    private PrimaryFace() {
    }

    /** @param facesBySizeDesc faces sorted by box area, largest first */
    public static Optional<DetectedFace> of(List<DetectedFace> facesBySizeDesc) {
        if (facesBySizeDesc.isEmpty()) {
            return Optional.empty();
        }
        DetectedFace largest = facesBySizeDesc.get(0);
        if (facesBySizeDesc.size() > 1 && largest.box().area() < DOMINANCE_RATIO * facesBySizeDesc.get(1).box().area()) {
            return Optional.empty();
        }
        return Optional.of(largest);
    }
}

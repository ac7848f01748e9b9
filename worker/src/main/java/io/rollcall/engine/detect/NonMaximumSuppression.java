package io.rollcall.engine.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy NMS exactly as InsightFace's SCRFD code computes it, including the "+1" pixel convention in widths,
 * heights and areas, so that the same boxes survive as in the reference pipeline.
 */
final class NonMaximumSuppression {
    private NonMaximumSuppression() {
    }

    /**
     * @param byScoreDesc candidates sorted by score, highest first
     * @return the kept candidates, in score order
     */
    static List<DetectedFace> apply(List<DetectedFace> byScoreDesc, float iouThreshold) {
        int n = byScoreDesc.size();
        boolean[] suppressed = new boolean[n];
        List<DetectedFace> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (suppressed[i]) {
                continue;
            }
            BoundingBox a = byScoreDesc.get(i).box();
            kept.add(byScoreDesc.get(i));
            float areaA = (a.x2() - a.x1() + 1) * (a.y2() - a.y1() + 1);
            for (int j = i + 1; j < n; j++) {
                if (suppressed[j]) {
                    continue;
                }
                BoundingBox b = byScoreDesc.get(j).box();
                float w = Math.max(0f, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()) + 1);
                float h = Math.max(0f, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()) + 1);
                float inter = w * h;
                float areaB = (b.x2() - b.x1() + 1) * (b.y2() - b.y1() + 1);
                if (inter / (areaA + areaB - inter) > iouThreshold) {
                    suppressed[j] = true;
                }
            }
        }
        return kept;
    }
}

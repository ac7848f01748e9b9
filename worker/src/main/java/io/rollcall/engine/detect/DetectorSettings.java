package io.rollcall.engine.detect;

import java.util.List;

/**
 * How the detector is run.
 *
 * @param inputSizes     square input sides; the image is detected at each and the candidates merged by one NMS.
 *                       A single 640 pass misses faces that fill the frame (tight crops), 128 finds those.
 * @param scoreThreshold minimum detector score (the requirements ask for &gt; 0.7)
 * @param nmsThreshold   IoU above which the lower-scoring of two boxes is dropped (InsightFace uses 0.4)
 */
public record DetectorSettings(List<Integer> inputSizes, float scoreThreshold, float nmsThreshold) {
    public static final DetectorSettings DEFAULT = new DetectorSettings(List.of(128, 640), 0.7f, 0.4f);

    public DetectorSettings {
        inputSizes = List.copyOf(inputSizes);
        if (inputSizes.isEmpty()) {
            throw new IllegalArgumentException("at least one detector input size is needed");
        }
        for (int size : inputSizes) {
            if (size < 32 || size > 2048 || size % 32 != 0) {
                throw new IllegalArgumentException("detector input size must be a multiple of 32 in 32..2048: " + size);
            }
        }
        if (!(scoreThreshold > 0f && scoreThreshold < 1f)) {
            throw new IllegalArgumentException("detector score threshold must be in (0, 1): " + scoreThreshold);
        }
        if (!(nmsThreshold > 0f && nmsThreshold < 1f)) {
            throw new IllegalArgumentException("NMS threshold must be in (0, 1): " + nmsThreshold);
        }
    }
}

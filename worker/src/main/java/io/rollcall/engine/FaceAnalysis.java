package io.rollcall.engine;

import java.util.List;

/**
 * Everything the engine found in one image.
 *
 * @param faces   faces sorted by box area, largest first
 * @param timings where the time went
 */
public record FaceAnalysis(List<AnalyzedFace> faces, StageTimings timings) {
    public FaceAnalysis {
        faces = List.copyOf(faces);
    }

    public int faceCount() {
        return faces.size();
    }
}

package io.rollcall.reembed;

import io.rollcall.engine.AnalyzedFace;
import io.rollcall.engine.FaceAnalysis;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.detect.PrimaryFace;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.util.List;
import java.util.Map;

/**
 * Embeds a stored photo with the engine, choosing the face as enrollment does ({@link PrimaryFace}) but without
 * the enrollment's quality gate: the photo was accepted when it was enrolled, and a stricter or different pack's
 * quality opinion must not drop a person from the gallery.
 */
public final class EnginePhotoEmbedder implements PhotoEmbedder {

    private final FaceEngine engine;
    private final ImageDecoder decoder;

    public EnginePhotoEmbedder(FaceEngine engine, ImageDecoder decoder) {
        this.engine = engine;
        this.decoder = decoder;
    }

    @Override
    public String model() {
        return engine.pack().name();
    }

    @Override
    public int dim() {
        return engine.pack().embeddingDim();
    }

    @Override
    public float[] embed(byte[] photo) {
        try (DecodedImage image = decoder.decode(photo)) {
            // PRIMARY embeds the largest face; PrimaryFace then decides whether it dominates, as enrollment does.
            FaceAnalysis analysis = engine.analyze(image, FaceEngine.Embed.PRIMARY);
            List<DetectedFace> faces = analysis.faces().stream().map(AnalyzedFace::detection).toList();
            if (faces.isEmpty()) {
                throw new RollcallException(ErrorCode.NO_FACE_DETECTED, "No face detected in the stored photo");
            }
            if (PrimaryFace.of(faces).isEmpty()) {
                throw new RollcallException(ErrorCode.MULTIPLE_FACES,
                        faces.size() + " faces of similar size detected; none clearly dominates",
                        Map.of("face_count", faces.size()));
            }
            return analysis.faces().getFirst().embedding();
        }
    }
}

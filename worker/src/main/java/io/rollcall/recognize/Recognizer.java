package io.rollcall.recognize;

import io.rollcall.engine.AnalyzedFace;
import io.rollcall.engine.FaceAnalysis;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.detect.PrimaryFace;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.person.PersonType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** 1:N recognition of the face at the door, of every face in a classroom photo, and 1:1 verification. */
public final class Recognizer {
    private final FaceEngine engine;
    private final Gallery gallery;

    public Recognizer(FaceEngine engine, Gallery gallery) {
        this.engine = engine;
        this.gallery = gallery;
    }

    /** One recognised (or unknown) face. */
    public record Recognition(DetectedFace face, Optional<GalleryMatch> match, double threshold) {
        public double confidence() {
            return match.map(m -> Confidence.of(m.similarity(), threshold)).orElse(0.0);
        }
    }

    /**
     * The largest face in the photo against the gallery (the requirements: "select largest face when multiple faces
     * detected").
     *
     * @throws RollcallException {@code NO_FACE_DETECTED}
     */
    public Recognition recognize(DecodedImage image, PersonType filter, double threshold) {
        return recognize(image, filter, threshold, () -> { });
    }

    /** @param beforeSearch runs after the analysis and before the gallery is searched (a read barrier) */
    public Recognition recognize(DecodedImage image, PersonType filter, double threshold, Runnable beforeSearch) {
        FaceAnalysis analysis = engine.analyze(image, FaceEngine.Embed.PRIMARY);
        if (analysis.faceCount() == 0) {
            throw noFace();
        }
        AnalyzedFace face = analysis.faces().get(0);
        beforeSearch.run();
        return new Recognition(face.detection(), gallery.best(face.embedding(), filter, threshold), threshold);
    }

    /** Every face in the photo, largest first, each with its match or none. */
    public List<Recognition> recognizeAll(DecodedImage image, PersonType filter, double threshold) {
        return recognizeAll(image, filter, threshold, () -> { });
    }

    /** @param beforeSearch runs after the analysis and before the gallery is searched (a read barrier) */
    public List<Recognition> recognizeAll(DecodedImage image, PersonType filter, double threshold, Runnable beforeSearch) {
        FaceAnalysis analysis = engine.analyze(image, FaceEngine.Embed.ALL);
        beforeSearch.run();
        List<Recognition> result = new ArrayList<>(analysis.faceCount());
        for (AnalyzedFace face : analysis.faces()) {
            result.add(new Recognition(face.detection(), gallery.best(face.embedding(), filter, threshold), threshold));
        }
        return result;
    }

    /** Whether two photos show the same person, from their primary faces. */
    public record Verification(boolean samePerson, double similarity, double threshold) {
        public double confidence() {
            return Confidence.of(similarity, threshold);
        }
    }

    /**
     * @throws RollcallException {@code NO_FACE_DETECTED} or {@code MULTIPLE_FACES} naming which image
     */
    public Verification verify(DecodedImage first, DecodedImage second, double threshold) {
        float[] a = primaryEmbedding(first, "image1_base64");
        float[] b = primaryEmbedding(second, "image2_base64");
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        s = Math.round(s * 10_000) / 10_000.0;
        return new Verification(s >= threshold, s, threshold);
    }

    private float[] primaryEmbedding(DecodedImage image, String field) {
        FaceAnalysis analysis = engine.analyze(image, FaceEngine.Embed.PRIMARY);
        if (analysis.faceCount() == 0) {
            throw new RollcallException(ErrorCode.NO_FACE_DETECTED, "No face detected in " + field, Map.of("field", field));
        }
        Optional<DetectedFace> primary = PrimaryFace.of(analysis.faces().stream().map(AnalyzedFace::detection).toList());
        if (primary.isEmpty()) {
            throw new RollcallException(ErrorCode.MULTIPLE_FACES, analysis.faceCount()
                    + " faces of similar size in " + field + "; verification needs one clearly dominant face", Map.of("field", field));
        }
        return analysis.faces().get(0).embedding();
    }

    private static RollcallException noFace() {
        return new RollcallException(ErrorCode.NO_FACE_DETECTED, "No face detected in the provided image");
    }
}

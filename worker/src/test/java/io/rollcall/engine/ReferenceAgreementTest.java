package io.rollcall.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.engine.detect.BoundingBox;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.json.Json;
import io.rollcall.testing.DevData;
import io.rollcall.testing.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine agrees with an independent implementation of the InsightFace pipeline ({@code tools/reference/}:
 * Node.js, ONNX Runtime, OpenCV.js, its own Umeyama) on the same photos and pack: the same faces, boxes and
 * keypoints within 2 px, embeddings with cosine ≥ 0.99. Observed agreement is far tighter; the bounds are the
 * project's contract with InsightFace-style references.
 */
class ReferenceAgreementTest {
    private static final double MAX_PIXEL_ERROR = 2.0;
    private static final double MIN_COSINE = 0.99;

    record Reference(String pack, List<Integer> detSizes, double detThreshold, List<ReferenceImage> images) {
    }

    record ReferenceImage(String path, int width, int height, List<ReferenceFace> faces) {
        @Override
        public String toString() {
            return path;
        }
    }

    record ReferenceFace(float[] bbox, float score, float[][] kps, float[] embedding) {
    }

    static Stream<ReferenceImage> referenceImages() throws IOException {
        try (InputStream in = ReferenceAgreementTest.class.getResourceAsStream("/reference/dev-pack-reference.json")) {
            Reference reference = Json.MAPPER.readValue(in, Reference.class);
            assertThat(reference.pack()).isEqualTo("dev");
            assertThat(reference.detSizes()).isEqualTo(DevData.engine().settings().detector().inputSizes());
            assertThat(reference.images()).hasSizeGreaterThanOrEqualTo(14);
            return reference.images().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceImages")
    void matchesTheIndependentReferencePipeline(ReferenceImage expected) {
        FaceAnalysis analysis;
        try (DecodedImage image = DevData.decode(expected.path())) {
            assertThat(image.width()).isEqualTo(expected.width());
            assertThat(image.height()).isEqualTo(expected.height());
            analysis = DevData.engine().analyze(image, FaceEngine.Embed.ALL);
        }
        assertThat(analysis.faceCount()).as("faces").isEqualTo(expected.faces().size());
        for (int i = 0; i < analysis.faceCount(); i++) {
            ReferenceFace want = expected.faces().get(i);
            AnalyzedFace got = analysis.faces().get(i);
            DetectedFace d = got.detection();
            BoundingBox b = d.box();
            float[] box = {b.x1(), b.y1(), b.x2(), b.y2()};
            for (int c = 0; c < 4; c++) {
                assertThat((double) Math.abs(box[c] - want.bbox()[c])).as("face %d box[%d]", i, c).isLessThanOrEqualTo(MAX_PIXEL_ERROR);
            }
            for (int k = 0; k < 5; k++) {
                assertThat((double) Math.abs(d.keypoints().get(k).x() - want.kps()[k][0])).as("face %d kp %d x", i, k).isLessThanOrEqualTo(MAX_PIXEL_ERROR);
                assertThat((double) Math.abs(d.keypoints().get(k).y() - want.kps()[k][1])).as("face %d kp %d y", i, k).isLessThanOrEqualTo(MAX_PIXEL_ERROR);
            }
            assertThat((double) Math.abs(d.score() - want.score())).as("face %d score", i).isLessThan(0.01);
            assertThat(Vectors.cosine(got.embedding(), want.embedding())).as("face %d embedding cosine", i).isGreaterThanOrEqualTo(MIN_COSINE);
        }
    }
}

package io.rollcall.engine.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.engine.AnalyzedFace;
import io.rollcall.engine.FaceAnalysis;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.testing.DevData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Detection with the dev pack (SCRFD-500MF at 128 and 640, threshold 0.7) on every dev photo. */
class FaceDetectionTest {

    static Stream<String> identityPhotos() throws IOException {
        return listPhotos(p -> !p.getParent().getFileName().toString().startsWith("_"));
    }

    static Stream<String> nofacePhotos() throws IOException {
        return listPhotos(p -> p.getParent().getFileName().toString().equals("_noface"));
    }

    /** Group photos whose face count groups.csv annotates. */
    static Stream<Arguments> annotatedGroups() throws IOException {
        return Files.readAllLines(DevData.faces().resolve("groups.csv")).stream().skip(1)
                .map(line -> line.split(",", 4))
                .filter(f -> !f[1].isBlank())
                .map(f -> Arguments.of(f[0], Integer.parseInt(f[1].trim())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identityPhotos")
    void findsExactlyOneFaceInEverySinglePersonPhoto(String photo) {
        FaceAnalysis analysis = analyse(photo);
        assertThat(analysis.faceCount()).as("faces in %s", photo).isEqualTo(1);
        DetectedFace face = analysis.faces().get(0).detection();
        assertThat(face.score()).isGreaterThanOrEqualTo(0.7f);
        assertThat(face.box().width()).isPositive();
        // Landmarks lie inside the box: eyes above the nose, nose above the mouth corners.
        List<Point> k = face.keypoints();
        assertThat(k.get(0).y()).isLessThan(k.get(2).y());
        assertThat(k.get(2).y()).isLessThan(Math.max(k.get(3).y(), k.get(4).y()));
        assertThat(k.get(0).x()).isLessThan(k.get(1).x());
    }

    @ParameterizedTest(name = "{0} has {1} faces")
    @MethodSource("annotatedGroups")
    void findsEveryFaceInAnnotatedGroupPhotos(String photo, int expected) {
        FaceAnalysis analysis = analyse(photo);
        assertThat(analysis.faceCount()).isEqualTo(expected);
        List<Float> areas = analysis.faces().stream().map(f -> f.detection().box().area()).toList();
        assertThat(areas).as("faces sorted by area, largest first").isSortedAccordingTo((a, b) -> Float.compare(b, a));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nofacePhotos")
    void findsNoFaceInPhotosWithoutPeople(String photo) {
        assertThat(analyse(photo).faceCount()).isZero();
    }

    private static FaceAnalysis analyse(String photo) {
        try (DecodedImage image = DevData.decode(photo)) {
            FaceAnalysis analysis = DevData.engine().analyze(image, FaceEngine.Embed.NONE);
            for (AnalyzedFace face : analysis.faces()) {
                assertThat(face.embedding()).isNull();
            }
            return analysis;
        }
    }

    private static Stream<String> listPhotos(java.util.function.Predicate<Path> filter) throws IOException {
        Path root = DevData.faces();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().matches(".*\\.(jpg|png|webp)$"))
                    .filter(filter)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList()
                    .stream();
        }
    }
}

package io.rollcall.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.engine.model.ModelPack;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.testing.DevData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken model file gives MODEL_NOT_LOADED naming the file, never a crash. */
class CorruptModelTest {
    @TempDir
    Path dir;

    private final ModelPack pack = DevData.devPack();
    private final Path detector = DevData.models().resolve(pack.detector().path());
    private final Path recognizer = DevData.models().resolve(pack.recognizer().path());

    @Test
    void aTruncatedDetectorIsReportedNotCrashedOn() throws IOException {
        byte[] full = Files.readAllBytes(detector);
        Path truncated = Files.write(dir.resolve("det_500m.onnx"), Arrays.copyOf(full, full.length / 2));
        assertNotLoaded(truncated, recognizer, "det_500m.onnx");
    }

    @Test
    void bytesThatAreNotAModelAreReported() throws IOException {
        Path garbage = Files.writeString(dir.resolve("fr_feature.onnx"), "<html>404 Not Found</html>");
        assertNotLoaded(detector, garbage, "fr_feature.onnx");
    }

    @Test
    void aMissingFileIsReported() {
        assertNotLoaded(dir.resolve("absent.onnx"), recognizer, "absent.onnx");
    }

    @Test
    void aValidModelInTheWrongRoleIsReported() {
        // The recognizer has one output; an SCRFD detector has nine.
        assertNotLoaded(recognizer, recognizer, "9");
        // The detector's input is not 112x112.
        assertNotLoaded(detector, detector, "112");
    }

    private void assertNotLoaded(Path det, Path rec, String mentioned) {
        assertThatThrownBy(() -> FaceEngine.open(pack, det, rec, EngineSettings.defaults()))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED);
                    assertThat(e.getMessage()).contains(mentioned);
                });
    }
}

package io.rollcall.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollcall.testing.DevData;
import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class FlushDenormalsTest {
    // Volatile so that neither javac nor the JIT folds the products below; the multiplications obey MXCSR.
    private static volatile float denormal = Float.MIN_NORMAL / 8;
    private static volatile float one = 1.0f;

    @Test
    void isActiveOnLinuxX86() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean x86Linux = (arch.equals("amd64") || arch.equals("x86_64"))
                && System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux");
        assertEquals(x86Linux, FlushDenormals.active());
    }

    @Test
    void flushesOnlyInsideAndRestoresTheThreadsModeAfterwards() {
        float outside = denormal * one;
        float inside = FlushDenormals.around(() -> denormal * one);
        float after = denormal * one;

        assertEquals(Float.MIN_NORMAL / 8, outside);
        assertEquals(FlushDenormals.active() ? 0.0f : Float.MIN_NORMAL / 8, inside);
        assertEquals(Float.MIN_NORMAL / 8, after, "Java arithmetic after an inference keeps IEEE denormals");
    }

    /** Decisive when this is the JVM's first ORT session (as when the class runs alone); harmless otherwise. */
    @Test
    void loadingAModelLeavesTheLoadingThreadsArithmeticAlone() {
        try (OnnxModel model = OnnxModel.load(DevData.models().resolve("faceplugin/fr_feature.onnx"), 2)) {
            assertEquals(1, model.outputNames().size());
        }
        assertEquals(Float.MIN_NORMAL / 8, denormal * one, "ORT's once-per-process flush-to-zero landed on this thread");
    }

    @Test
    void restoresTheModeWhenTheInferenceFails() {
        assertThrows(IOException.class, () -> FlushDenormals.around(() -> {
            throw new IOException("inference failed");
        }));
        assertTrue(denormal * one > 0.0f);
    }
}

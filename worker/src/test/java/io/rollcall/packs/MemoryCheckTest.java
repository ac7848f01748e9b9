package io.rollcall.packs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.engine.model.ModelPack;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.testing.DevData;
import org.junit.jupiter.api.Test;

class MemoryCheckTest {

    @Test
    void theDevPackFitsBesideASmallGallery() {
        assertThatCode(() -> MemoryCheck.requireRoomFor(DevData.devPack(), 1_000)).doesNotThrowAnyException();
    }

    @Test
    void aGalleryLargerThanTheFreeHeapIsRefusedWithTheFigures() {
        long samples = Runtime.getRuntime().maxMemory() / (512 * Float.BYTES); // its floats alone fill the heap

        assertThatThrownBy(() -> MemoryCheck.requireRoomFor(DevData.devPack(), samples))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PACK_SWITCH_REFUSED);
                    assertThat(e.details()).containsKeys("gallery_bytes_needed", "heap_bytes_free", "model_bytes_needed",
                            "memory_bytes_available");
                    assertThat((long) e.details().get("gallery_bytes_needed")).isGreaterThan((long) e.details().get("heap_bytes_free"));
                });
    }

    @Test
    void modelsLargerThanTheMachinesAvailableMemoryAreRefused() {
        ModelPack dev = DevData.devPack();
        ModelPack.ModelFile huge = new ModelPack.ModelFile(dev.recognizer().path(), dev.recognizer().sha256(),
                Long.MAX_VALUE / 8, dev.recognizer().input());
        ModelPack giant = new ModelPack("giant", dev.description(), dev.licence(), dev.detector(), huge, dev.embeddingDim(),
                dev.recommendedThreshold(), dev.sampleMatchThreshold(), dev.impostorTail(), dev.archive());

        assertThatThrownBy(() -> MemoryCheck.requireRoomFor(giant, 10))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PACK_SWITCH_REFUSED))
                .hasMessageContaining("giant");
    }
}

package io.rollcall.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageLimitsTest {

    @Test
    void defaultsAreTenMebibytesAndFiftyMegapixels() {
        ImageLimits limits = ImageLimits.defaults();
        assertThat(limits.maxBytes()).isEqualTo(10_485_760L);
        assertThat(limits.maxPixels()).isEqualTo(50_000_000L);
        assertThat(limits.maxSide()).isEqualTo(16_384);
        assertThat(new ImageDecoder().limits()).isEqualTo(limits);
    }

    @Test
    void refusesLimitsThatCannotWork() {
        assertThatThrownBy(() -> ImageLimits.defaults().withMaxBytes(0)).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> ImageLimits.defaults().withMaxPixels(-1)).hasMessageContaining("maxPixels");
        assertThatThrownBy(() -> ImageLimits.defaults().withMaxSide(0)).hasMessageContaining("maxSide");
        // Above this, a decoded image could not be copied into one Java byte array.
        assertThatThrownBy(() -> ImageLimits.defaults().withMaxPixels(800_000_000L)).hasMessageContaining("maxPixels");
        assertThat(ImageLimits.defaults().withMaxPixels(700_000_000L).maxPixels()).isEqualTo(700_000_000L);
    }
}

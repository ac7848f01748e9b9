package io.rollcall.engine.image;

import static io.rollcall.engine.image.TestImages.encode;
import static io.rollcall.engine.image.TestImages.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The decoded image owns native memory: it must hand pixels out correctly and release them exactly once. */
class DecodedImageTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void bgrBytesAreRowMajorBlueGreenRed() {
        byte[] png;
        try (Mat image = new Mat(4, 6, CV_8UC3, new Scalar(0, 0, 0, 0))) {
            fill(image, new Rect(5, 2, 1, 1), new int[] {11, 22, 33}); // x = 5, y = 2
            png = encode(".png", image);
        }
        try (DecodedImage image = decoder.decode(png)) {
            byte[] bgr = image.toBgrBytes();
            int at = (2 * 6 + 5) * 3;
            assertThat(new int[] {bgr[at], bgr[at + 1], bgr[at + 2]}).containsExactly(11, 22, 33);
            int nonZero = 0;
            for (byte b : bgr) {
                nonZero += b != 0 ? 1 : 0;
            }
            assertThat(nonZero).as("only the marked pixel is set").isEqualTo(3);
        }
    }

    @Test
    void toBgrBytesIsACopy() {
        try (DecodedImage image = decoder.decode(TestImages.devPhoto("tom_hanks/06.png"))) {
            byte[] first = image.toBgrBytes();
            first[0] = (byte) ~first[0];
            assertThat(image.toBgrBytes()[0]).isNotEqualTo(first[0]);
        }
    }

    @Test
    void closeReleasesTheNativePixelsAndIsSafeToRepeat() {
        DecodedImage image = decoder.decode(TestImages.devPhoto("tom_hanks/06.png"));
        Mat mat = image.mat();
        assertThat(mat.isNull()).isFalse();

        image.close();
        assertThat(mat.isNull()).as("the native Mat is deallocated").isTrue();
        image.close();

        assertThat(image.width()).as("the size stays readable").isEqualTo(112);
        assertThat(image.height()).isEqualTo(112);
        assertThatThrownBy(image::mat).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(image::toBgrBytes).isInstanceOf(IllegalStateException.class);
        assertThat(image).hasToString("DecodedImage[PNG 112x112, closed]");
    }
}

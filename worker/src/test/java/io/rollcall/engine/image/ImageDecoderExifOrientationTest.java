package io.rollcall.engine.image;

import static io.rollcall.engine.image.TestImages.ascii;
import static io.rollcall.engine.image.TestImages.bgrAt;
import static io.rollcall.engine.image.TestImages.bytes;
import static io.rollcall.engine.image.TestImages.concat;
import static io.rollcall.engine.image.TestImages.encode;
import static io.rollcall.engine.image.TestImages.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Phones store photos sideways and record how to turn them in the EXIF Orientation tag; the decoder must return
 * the photo the way a person sees it, or the face detector gets a face lying on its side.
 */
class ImageDecoderExifOrientationTest {

    private static final int WIDTH = 96;
    private static final int HEIGHT = 48;
    private static final int MARK = 16;
    private static final int[] RED = {0, 0, 255};
    private static final int[] GREEN = {0, 255, 0};

    private final ImageDecoder decoder = new ImageDecoder();

    /**
     * The stored image is 96x48 with a red mark in its top-left corner and a green one in its top-right. Two marks
     * tell a rotation from a mirror image. Expected corners follow the TIFF 6.0 definition of each Orientation
     * value: 3 turns by 180 degrees, 6 by 90 clockwise, 8 by 90 counter-clockwise.
     */
    @ParameterizedTest(name = "orientation {0} ({1}-endian TIFF)")
    @CsvSource({
        "1, big,    96, 48, top-left,     top-right",
        "3, little, 96, 48, bottom-right, bottom-left",
        "6, big,    48, 96, top-right,    bottom-right",
        "6, little, 48, 96, top-right,    bottom-right",
        "8, big,    48, 96, bottom-left,  top-left",
    })
    void exifOrientationTurnsThePhotoUpright(int orientation, String endian, int width, int height,
            String redCorner, String greenCorner) {
        byte[] stored;
        try (Mat image = new Mat(HEIGHT, WIDTH, CV_8UC3, new Scalar(40, 40, 40, 0))) {
            fill(image, new Rect(0, 0, MARK, MARK), RED);
            fill(image, new Rect(WIDTH - MARK, 0, MARK, MARK), GREEN);
            stored = encode(".jpg", image, IMWRITE_JPEG_QUALITY, 95);
        }
        ByteOrder order = endian.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] jpeg = withExifOrientation(stored, orientation, order);

        try (DecodedImage image = decoder.decode(jpeg)) {
            assertThat(image.width()).isEqualTo(width);
            assertThat(image.height()).isEqualTo(height);
            assertColourAt(image, redCorner, RED);
            assertColourAt(image, greenCorner, GREEN);
        }
    }

    private static void assertColourAt(DecodedImage image, String corner, int[] expected) {
        int inset = MARK / 2; // the centre of a mark, away from JPEG's blurred edges
        int x = corner.endsWith("left") ? inset : image.width() - 1 - inset;
        int y = corner.startsWith("top") ? inset : image.height() - 1 - inset;
        int[] actual = bgrAt(image.mat(), x, y);
        for (int c = 0; c < 3; c++) {
            assertThat(actual[c]).as("%s corner, channel %d: %s", corner, c, Arrays.toString(actual))
                    .isCloseTo(expected[c], within(40));
        }
    }

    /**
     * Inserts an APP1 Exif segment right after SOI, holding a TIFF structure with one IFD and one entry:
     * Orientation (tag 0x0112), type SHORT, count 1.
     */
    static byte[] withExifOrientation(byte[] jpeg, int orientation, ByteOrder order) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(order);
        tiff.put(ascii(order == ByteOrder.BIG_ENDIAN ? "MM" : "II"));
        tiff.putShort((short) 42); // TIFF magic
        tiff.putInt(8); // offset of IFD0, right after this header
        tiff.putShort((short) 1); // one directory entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1); // Orientation, SHORT, count 1
        tiff.putShort((short) orientation).putShort((short) 0); // value, left-justified in the 4-byte field
        tiff.putInt(0); // no next IFD
        byte[] payload = concat(ascii("Exif"), bytes(0, 0), tiff.array());
        int length = payload.length + 2; // the segment length counts its own two bytes
        byte[] app1 = concat(bytes(0xFF, 0xE1, length >> 8, length & 0xFF), payload);
        return concat(Arrays.copyOfRange(jpeg, 0, 2), app1, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }
}

package io.rollcall.engine.image;

import io.rollcall.testing.DevData;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Builds test images in memory and finds the shared dev photos; nothing here is ever written to the repository. */
final class TestImages {

    /** Colours of the four quadrants of {@link #quadrants}, as B, G, R; away from 0 and 255 so codecs cannot clip. */
    static final int[][] QUADRANT_BGR = {{200, 40, 30}, {30, 180, 60}, {40, 50, 210}, {128, 128, 128}};

    private TestImages() {
    }

    static Path devPhotos() {
        return DevData.faces();
    }

    static byte[] devPhoto(String relative) {
        return DevData.bytes(relative);
    }

    /** Encodes with OpenCV, as a client's camera or browser would have encoded the image. */
    static byte[] encode(String extension, Mat image, int... params) {
        try (BytePointer out = new BytePointer(); IntPointer p = new IntPointer(params)) {
            if (!imencode(extension, image, out, p)) {
                throw new IllegalStateException("OpenCV could not encode " + extension);
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** A BGR image split into four solid quadrants coloured {@link #QUADRANT_BGR} (TL, TR, BL, BR). */
    static Mat quadrants(int width, int height) {
        Mat image = new Mat(height, width, CV_8UC3);
        int halfW = width / 2;
        int halfH = height / 2;
        fill(image, new Rect(0, 0, halfW, halfH), QUADRANT_BGR[0]);
        fill(image, new Rect(halfW, 0, width - halfW, halfH), QUADRANT_BGR[1]);
        fill(image, new Rect(0, halfH, halfW, height - halfH), QUADRANT_BGR[2]);
        fill(image, new Rect(halfW, halfH, width - halfW, height - halfH), QUADRANT_BGR[3]);
        return image;
    }

    static void fill(Mat image, Rect area, int[] bgr) {
        try (Mat region = image.apply(area); Scalar colour = new Scalar(bgr[0], bgr[1], bgr[2], 255)) {
            region.put(colour);
        }
    }

    /** The centres of the four quadrants of an image of the given size: x, y pairs in {@link #QUADRANT_BGR} order. */
    static int[][] quadrantCentres(int width, int height) {
        return new int[][] {
            {width / 4, height / 4}, {3 * width / 4, height / 4}, {width / 4, 3 * height / 4}, {3 * width / 4, 3 * height / 4}
        };
    }

    /** B, G, R at (x, y) of a continuous 8-bit 3-channel Mat. */
    static int[] bgrAt(Mat image, int x, int y) {
        long index = ((long) y * image.cols() + x) * 3;
        BytePointer data = image.data();
        return new int[] {data.get(index) & 0xFF, data.get(index + 1) & 0xFF, data.get(index + 2) & 0xFF};
    }

    /** All bytes of a continuous Mat. */
    static byte[] bytesOf(Mat image) {
        byte[] bytes = new byte[Math.toIntExact(image.total() * image.elemSize())];
        image.data().get(bytes, 0, bytes.length);
        return bytes;
    }

    /** The FourCC of the first chunk of a WebP file: "VP8 ", "VP8L" or "VP8X". */
    static String firstWebpChunk(byte[] webp) {
        return new String(webp, 12, 4, StandardCharsets.US_ASCII);
    }

    /** One PNG chunk: length, type, data and the CRC over type and data. */
    static byte[] pngChunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return concat(u32be(data.length), typeBytes, data, u32be((int) crc.getValue()));
    }

    static byte[] u32be(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    static byte[] u32le(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}

package io.rollcall.engine.image;

import static io.rollcall.engine.image.TestImages.QUADRANT_BGR;
import static io.rollcall.engine.image.TestImages.ascii;
import static io.rollcall.engine.image.TestImages.bgrAt;
import static io.rollcall.engine.image.TestImages.bytes;
import static io.rollcall.engine.image.TestImages.bytesOf;
import static io.rollcall.engine.image.TestImages.concat;
import static io.rollcall.engine.image.TestImages.devPhoto;
import static io.rollcall.engine.image.TestImages.encode;
import static io.rollcall.engine.image.TestImages.firstWebpChunk;
import static io.rollcall.engine.image.TestImages.pngChunk;
import static io.rollcall.engine.image.TestImages.quadrantCentres;
import static io.rollcall.engine.image.TestImages.quadrants;
import static io.rollcall.engine.image.TestImages.u32be;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_RST_INTERVAL;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencodeanimation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs.Animation;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Every accepted encoding decodes to upright 8-bit BGR with the right size and the right pixels. */
class ImageDecoderFormatsTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void jpegKeepsItsColoursWithinCompressionError() {
        byte[] jpeg;
        try (Mat source = quadrants(160, 120)) {
            jpeg = encode(".jpg", source, IMWRITE_JPEG_QUALITY, 95);
        }
        try (DecodedImage image = decoder.decode(jpeg)) {
            assertShape(image, ImageFormat.JPEG, 160, 120);
            assertThat(image.hadAlpha()).isFalse();
            assertThat(image.wasGrayscale()).isFalse();
            assertQuadrants(image, 6);
        }
    }

    @Test
    void progressiveJpegDecodes() {
        byte[] jpeg;
        try (Mat source = quadrants(160, 120)) {
            jpeg = encode(".jpg", source, IMWRITE_JPEG_QUALITY, 95, IMWRITE_JPEG_PROGRESSIVE, 1);
        }
        assertThat(jpeg).as("progressive JPEGs carry several scans").containsSequence(0xFF, 0xC2);
        try (DecodedImage image = decoder.decode(jpeg)) {
            assertShape(image, ImageFormat.JPEG, 160, 120);
            assertQuadrants(image, 6);
        }
    }

    @Test
    void jpegWithRestartMarkersInsideItsScanDecodes() {
        // Restart markers (FFD0..FFD7) sit inside entropy-coded data; the structure walk must step over them.
        byte[] jpeg;
        try (Mat source = realPhotoCrop()) {
            jpeg = encode(".jpg", source, IMWRITE_JPEG_QUALITY, 95, IMWRITE_JPEG_RST_INTERVAL, 2);
        }
        assertThat(jpeg).containsSequence(0xFF, 0xD0);
        try (DecodedImage image = decoder.decode(jpeg)) {
            assertShape(image, ImageFormat.JPEG, 200, 150);
        }
    }

    @Test
    void pngIsLossless() {
        try (Mat source = realPhotoCrop(); DecodedImage image = decoder.decode(encode(".png", source))) {
            assertShape(image, ImageFormat.PNG, source.cols(), source.rows());
            assertThat(image.hadAlpha()).isFalse();
            assertThat(image.toBgrBytes()).isEqualTo(bytesOf(source));
        }
    }

    @Test
    void grayscalePngBecomesThreeEqualChannelsWithTheSameValues() {
        try (Mat grey = greyRamp(90, 70); DecodedImage image = decoder.decode(encode(".png", grey))) {
            assertShape(image, ImageFormat.PNG, 90, 70);
            assertThat(image.wasGrayscale()).isTrue();
            byte[] source = bytesOf(grey);
            byte[] bgr = image.toBgrBytes();
            for (int i = 0; i < source.length; i++) {
                assertThat(new byte[] {bgr[3 * i], bgr[3 * i + 1], bgr[3 * i + 2]})
                        .as("pixel %d", i).containsExactly(source[i], source[i], source[i]);
            }
        }
    }

    @Test
    void grayscaleJpegBecomesThreeEqualChannels() {
        try (Mat grey = new Mat(64, 80, CV_8UC1, new Scalar(77));
             DecodedImage image = decoder.decode(encode(".jpg", grey, IMWRITE_JPEG_QUALITY, 95))) {
            assertShape(image, ImageFormat.JPEG, 80, 64);
            assertThat(image.wasGrayscale()).isTrue();
            byte[] bgr = image.toBgrBytes();
            for (int i = 0; i < bgr.length; i += 3) {
                assertThat(bgr[i]).isEqualTo(bgr[i + 1]).isEqualTo(bgr[i + 2]);
                assertThat(bgr[i] & 0xFF).isCloseTo(77, within(2));
            }
        }
    }

    @Test
    void rgbaPngDropsAlphaAndKeepsTheStoredColours() {
        // Alpha varies 0..255 across the image, so the alpha channel is real, including fully transparent pixels.
        try (Mat bgra = new Mat(40, 256, CV_8UC4); Mat expectedBgr = new Mat(40, 256, CV_8UC3)) {
            BytePointer px = bgra.data();
            BytePointer ex = expectedBgr.data();
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 256; x++) {
                    int i = y * 256 + x;
                    int b = (x * 7) & 0xFF;
                    int g = (y * 5 + 11) & 0xFF;
                    int r = (x + y) & 0xFF;
                    px.put(4L * i, (byte) b).put(4L * i + 1, (byte) g).put(4L * i + 2, (byte) r).put(4L * i + 3, (byte) x);
                    ex.put(3L * i, (byte) b).put(3L * i + 1, (byte) g).put(3L * i + 2, (byte) r);
                }
            }
            byte[] png = encode(".png", bgra);
            assertThat(png[25]).as("IHDR colour type 6 = RGBA").isEqualTo((byte) 6);
            try (DecodedImage image = decoder.decode(png)) {
                assertShape(image, ImageFormat.PNG, 256, 40);
                assertThat(image.hadAlpha()).isTrue();
                assertThat(image.toBgrBytes()).isEqualTo(bytesOf(expectedBgr));
            }
        }
    }

    @Test
    void palettePngWithTransparentEntryReportsAlphaAndDecodesPaletteColours() throws IOException {
        // Built by hand because OpenCV cannot write palette PNGs: 2x1 pixels, palette [red, blue], red transparent.
        byte[] ihdr = concat(u32be(2), u32be(1), bytes(8, 3, 0, 0, 0));
        byte[] palette = bytes(255, 0, 0, 0, 0, 255);
        byte[] transparency = bytes(0);
        byte[] png = concat(bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'), pngChunk("IHDR", ihdr),
                pngChunk("PLTE", palette), pngChunk("tRNS", transparency),
                pngChunk("IDAT", deflate(bytes(0, 0, 1))), pngChunk("IEND", new byte[0]));
        assertThat(ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(png)))).as("a valid PNG for an independent reader").isNotNull();
        try (DecodedImage image = decoder.decode(png)) {
            assertShape(image, ImageFormat.PNG, 2, 1);
            assertThat(image.hadAlpha()).isTrue();
            assertThat(bgrAt(image.mat(), 0, 0)).containsExactly(0, 0, 255);
            assertThat(bgrAt(image.mat(), 1, 0)).containsExactly(255, 0, 0);
        }
    }

    @Test
    void sixteenBitPngIsScaledToEightBits() {
        try (Mat deep = new Mat(30, 40, CV_16UC3, new Scalar(1000, 60000, 30000, 0))) {
            byte[] png = encode(".png", deep);
            assertThat(png[24]).as("IHDR bit depth").isEqualTo((byte) 16);
            try (DecodedImage image = decoder.decode(png)) {
                assertShape(image, ImageFormat.PNG, 40, 30);
                int[] bgr = bgrAt(image.mat(), 17, 9);
                assertThat(bgr[0]).isCloseTo(1000 / 257, within(1));
                assertThat(bgr[1]).isCloseTo(60000 / 257, within(1));
                assertThat(bgr[2]).isCloseTo(30000 / 257, within(1));
            }
        }
    }

    @Test
    void lossyWebpKeepsItsColoursWithinCompressionError() {
        byte[] webp;
        try (Mat source = quadrants(160, 120)) {
            webp = encode(".webp", source, IMWRITE_WEBP_QUALITY, 90);
        }
        assertThat(firstWebpChunk(webp)).isEqualTo("VP8 ");
        try (DecodedImage image = decoder.decode(webp)) {
            assertShape(image, ImageFormat.WEBP, 160, 120);
            assertThat(image.hadAlpha()).isFalse();
            assertQuadrants(image, 8);
        }
    }

    @Test
    void losslessWebpIsExact() {
        try (Mat source = realPhotoCrop()) {
            // OpenCV switches to lossless WebP for quality above 100.
            byte[] webp = encode(".webp", source, IMWRITE_WEBP_QUALITY, 101);
            assertThat(firstWebpChunk(webp)).isEqualTo("VP8L");
            try (DecodedImage image = decoder.decode(webp)) {
                assertShape(image, ImageFormat.WEBP, source.cols(), source.rows());
                assertThat(image.hadAlpha()).isFalse();
                assertThat(image.toBgrBytes()).isEqualTo(bytesOf(source));
            }
        }
    }

    @Test
    void lossyWebpWithAlphaUsesTheExtendedFormatAndDropsAlpha() {
        byte[] webp;
        try (Mat bgra = quadrantsWithAlpha(160, 120, 128)) {
            webp = encode(".webp", bgra, IMWRITE_WEBP_QUALITY, 90);
        }
        assertThat(firstWebpChunk(webp)).isEqualTo("VP8X");
        assertThat(webp[20] & 0x10).as("VP8X alpha flag").isNotZero();
        try (DecodedImage image = decoder.decode(webp)) {
            assertShape(image, ImageFormat.WEBP, 160, 120);
            assertThat(image.hadAlpha()).isTrue();
            assertQuadrants(image, 8);
        }
    }

    @Test
    void losslessWebpWithAlphaKeepsTheExactColours() {
        try (Mat bgra = quadrantsWithAlpha(64, 48, 200)) {
            byte[] webp = encode(".webp", bgra, IMWRITE_WEBP_QUALITY, 101);
            assertThat(firstWebpChunk(webp)).isEqualTo("VP8L");
            try (DecodedImage image = decoder.decode(webp); Mat expected = quadrants(64, 48)) {
                assertShape(image, ImageFormat.WEBP, 64, 48);
                assertThat(image.hadAlpha()).isTrue();
                assertThat(image.toBgrBytes()).isEqualTo(bytesOf(expected));
            }
        }
    }

    @Test
    void animatedWebpDecodesItsFirstFrame() {
        byte[] webp;
        try (Mat red = new Mat(40, 50, CV_8UC4, new Scalar(0, 0, 255, 255));
             Mat blue = new Mat(40, 50, CV_8UC4, new Scalar(255, 0, 0, 255));
             MatVector frames = new MatVector(red, blue);
             IntPointer durations = new IntPointer(100, 100);
             Animation animation = new Animation();
             BytePointer out = new BytePointer()) {
            animation.frames(frames);
            animation.durations(durations);
            assertThat(imencodeanimation(".webp", animation, out)).isTrue();
            webp = new byte[(int) out.limit()];
            out.get(webp);
        }
        assertThat(webp[20] & 0x02).as("VP8X animation flag").isNotZero();
        try (DecodedImage image = decoder.decode(webp)) {
            assertShape(image, ImageFormat.WEBP, 50, 40);
            int[] centre = bgrAt(image.mat(), 25, 20);
            assertThat(centre[0]).as("blue, which only the second frame has").isLessThan(8);
            assertThat(centre[2]).as("red").isGreaterThan(247);
        }
    }

    @Test
    void dataAfterTheJpegEndMarkerIsIgnored() {
        // Phones append data after EOI (motion-photo video, MPF previews); the image itself is complete.
        byte[] jpeg;
        try (Mat source = quadrants(160, 120)) {
            jpeg = encode(".jpg", source, IMWRITE_JPEG_QUALITY, 95);
        }
        byte[] withTrailer = concat(jpeg, ascii("\0\0\0\u0018ftypmp42 trailing video, not part of the JPEG"));
        try (DecodedImage image = decoder.decode(withTrailer)) {
            assertShape(image, ImageFormat.JPEG, 160, 120);
            assertQuadrants(image, 6);
        }
    }

    @Test
    void realJpegPhotoDecodesAtItsFullSize() {
        // 1382x1868 per the dev set's manifest.
        try (DecodedImage image = decoder.decode(devPhoto("angelina_jolie/01.jpg"))) {
            assertShape(image, ImageFormat.JPEG, 1382, 1868);
            assertThat(image.wasGrayscale()).isFalse();
            assertThat(channelsDiffer(image.toBgrBytes())).as("a colour photo has colour").isTrue();
        }
    }

    @Test
    void realGrayscaleJpegReportsGrayscale() {
        try (DecodedImage image = decoder.decode(devPhoto("tom_hanks/01.jpg"))) {
            assertShape(image, ImageFormat.JPEG, 350, 350);
            assertThat(image.wasGrayscale()).isTrue();
            assertThat(channelsDiffer(image.toBgrBytes())).isFalse();
        }
    }

    @Test
    void realRgbaPngReportsAlpha() {
        try (DecodedImage image = decoder.decode(devPhoto("alex_lacamoire/01.png"))) {
            assertShape(image, ImageFormat.PNG, 424, 394);
            assertThat(image.hadAlpha()).isTrue();
        }
    }

    @Test
    void everyDevPhotoDecodesToTheSizeAnIndependentReaderSees() throws IOException {
        List<Path> photos;
        try (Stream<Path> files = Files.walk(TestImages.devPhotos())) {
            photos = files.filter(p -> p.toString().matches(".*\\.(jpg|png)$")).sorted().toList();
        }
        assertThat(photos).hasSizeGreaterThan(100);
        for (Path photo : photos) {
            byte[] data = Files.readAllBytes(photo);
            int[] declared = imageIoSize(data);
            try (DecodedImage image = decoder.decode(data)) {
                assertThat(image.format()).as(photo.toString())
                        .isEqualTo(photo.toString().endsWith(".png") ? ImageFormat.PNG : ImageFormat.JPEG);
                // An EXIF rotation of 90 or 270 degrees swaps the sides; the pixel count never changes.
                assertThat(new int[] {Math.min(image.width(), image.height()), Math.max(image.width(), image.height())})
                        .as(photo.toString())
                        .containsExactly(Math.min(declared[0], declared[1]), Math.max(declared[0], declared[1]));
                assertThat(image.mat().channels()).isEqualTo(3);
            }
        }
    }

    @Test
    void oneDecoderServesManyThreadsAtOnce() throws Exception {
        byte[] jpeg;
        byte[] png;
        byte[] webp;
        try (Mat source = quadrants(160, 120)) {
            jpeg = encode(".jpg", source, IMWRITE_JPEG_QUALITY, 95);
            png = encode(".png", source);
            webp = encode(".webp", source, IMWRITE_WEBP_QUALITY, 101);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                byte[] data = List.of(jpeg, png, webp).get(i % 3);
                results.add(pool.submit(() -> {
                    try (DecodedImage image = decoder.decode(data)) {
                        int[] centre = quadrantCentres(160, 120)[2];
                        int[] bgr = bgrAt(image.mat(), centre[0], centre[1]);
                        return image.width() == 160 && Math.abs(bgr[2] - QUADRANT_BGR[2][2]) <= 6;
                    }
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers ----

    static void assertShape(DecodedImage image, ImageFormat format, int width, int height) {
        assertThat(image.format()).isEqualTo(format);
        assertThat(image.width()).isEqualTo(width);
        assertThat(image.height()).isEqualTo(height);
        assertThat(image.mat().cols()).isEqualTo(width);
        assertThat(image.mat().rows()).isEqualTo(height);
        assertThat(image.mat().type()).isEqualTo(CV_8UC3);
        assertThat(image.toBgrBytes()).hasSize(width * height * 3);
    }

    private static void assertQuadrants(DecodedImage image, int tolerance) {
        int[][] centres = quadrantCentres(image.width(), image.height());
        for (int q = 0; q < 4; q++) {
            int[] actual = bgrAt(image.mat(), centres[q][0], centres[q][1]);
            for (int c = 0; c < 3; c++) {
                assertThat(actual[c]).as("quadrant %d channel %d", q, c).isCloseTo(QUADRANT_BGR[q][c], within(tolerance));
            }
        }
    }

    /** A 200x150 crop of a real photo: noisy, textured content that exposes any lossy step. */
    private static Mat realPhotoCrop() {
        try (DecodedImage photo = new ImageDecoder().decode(devPhoto("angelina_jolie/01.jpg"));
             Mat crop = photo.mat().apply(new Rect(500, 600, 200, 150))) {
            return crop.clone();
        }
    }

    private static Mat greyRamp(int width, int height) {
        Mat grey = new Mat(height, width, CV_8UC1);
        BytePointer px = grey.data();
        for (int i = 0; i < width * height; i++) {
            px.put(i, (byte) ((i * 37) & 0xFF));
        }
        return grey;
    }

    private static Mat quadrantsWithAlpha(int width, int height, int alpha) {
        Mat bgra = new Mat(height, width, CV_8UC4);
        try (Mat bgr = quadrants(width, height)) {
            BytePointer src = bgr.data();
            BytePointer dst = bgra.data();
            for (long i = 0; i < (long) width * height; i++) {
                dst.put(4 * i, src.get(3 * i)).put(4 * i + 1, src.get(3 * i + 1)).put(4 * i + 2, src.get(3 * i + 2))
                        .put(4 * i + 3, (byte) alpha);
            }
        }
        return bgra;
    }

    private static boolean channelsDiffer(byte[] bgr) {
        for (int i = 0; i < bgr.length; i += 3) {
            if (bgr[i] != bgr[i + 1] || bgr[i + 1] != bgr[i + 2]) {
                return true;
            }
        }
        return false;
    }

    /** Width and height as the JDK's own ImageIO readers see them, an oracle independent of this package. */
    private static int[] imageIoSize(byte[] data) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(raw);
            deflater.finish();
            byte[] buffer = new byte[raw.length + 64];
            int length = deflater.deflate(buffer);
            return Arrays.copyOf(buffer, length);
        } finally {
            deflater.end();
        }
    }
}

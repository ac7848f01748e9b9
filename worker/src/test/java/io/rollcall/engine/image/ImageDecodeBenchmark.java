package io.rollcall.engine.image;

import static io.rollcall.engine.image.TestImages.encode;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.Arrays;
import java.util.Base64;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Decode timings for a 1280x960 photo in each format; a main program, not a test, because timings on a shared
 * machine vary too much to assert. Run from the repository root:
 * <pre>
 * ./mvnw -q -pl worker test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd worker &amp;&amp; "$JAVA_HOME"/bin/java --enable-native-access=ALL-UNNAMED -Drollcall.shared=../../shared \
 *     -cp target/test-classes:target/classes:$(cat target/cp.txt) io.rollcall.engine.image.ImageDecodeBenchmark 50
 * </pre>
 */
public final class ImageDecodeBenchmark {

    private ImageDecodeBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        ImageDecoder decoder = new ImageDecoder();
        byte[] jpeg;
        byte[] webp;
        byte[] webpLossless;
        byte[] png;
        // A 4:3 dev photo (1536x1152) scaled to 1280x960, a typical phone upload after client-side resizing.
        try (DecodedImage photo = decoder.decode(TestImages.devPhoto("angelina_jolie/02.jpg"));
             Mat scaled = new Mat();
             Size size = new Size(1280, 960)) {
            resize(photo.mat(), scaled, size, 0, 0, INTER_AREA);
            jpeg = encode(".jpg", scaled, IMWRITE_JPEG_QUALITY, 90);
            webp = encode(".webp", scaled, IMWRITE_WEBP_QUALITY, 90);
            webpLossless = encode(".webp", scaled, IMWRITE_WEBP_QUALITY, 101);
            png = encode(".png", scaled);
        }
        System.out.printf("%d runs each, after %d warm-up runs; times in ms%n", runs, runs);
        report("JPEG q90      decode()", jpeg, runs, () -> decoder.decode(jpeg).close());
        report("JPEG q90      header walk only", jpeg, runs, () -> ImageHeader.read(ImageFormat.JPEG, jpeg));
        report("JPEG q90      bare imdecode", jpeg, runs, () -> bareImdecode(jpeg));
        String base64 = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
        report("JPEG q90      decodeBase64()", jpeg, runs, () -> decoder.decodeBase64(base64).close());
        report("WebP q90      decode()", webp, runs, () -> decoder.decode(webp).close());
        report("WebP q90      bare imdecode", webp, runs, () -> bareImdecode(webp));
        report("WebP lossless decode()", webpLossless, runs, () -> decoder.decode(webpLossless).close());
        report("PNG           decode()", png, runs, () -> decoder.decode(png).close());
    }

    private static void bareImdecode(byte[] data) {
        try (Mat encoded = new Mat(1, data.length, CV_8UC1)) {
            encoded.data().put(data, 0, data.length);
            imdecode(encoded, IMREAD_COLOR).close();
        }
    }

    private static void report(String label, byte[] data, int runs, Runnable task) {
        for (int i = 0; i < runs; i++) {
            task.run();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            task.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%-32s %8d bytes  p50 %7.3f  p90 %7.3f  min %7.3f%n", label, data.length,
                nanos[runs / 2] / 1e6, nanos[runs * 9 / 10] / 1e6, nanos[0] / 1e6);
    }
}

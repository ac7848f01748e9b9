package io.rollcall.engine.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.rollcall.error.ErrorCode;
import io.rollcall.imaging.Base64Image;
import io.rollcall.error.RollcallException;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns untrusted client images into upright 8-bit BGR pixels, rejecting anything that is not a complete JPEG,
 * PNG or WebP within the {@link ImageLimits} before decoding it.
 *
 * <p>Order of checks, cheapest first: byte size, magic bytes, container structure and declared dimensions (no pixel
 * memory yet), then OpenCV's decoder. Thread-safe and stateless apart from its limits: share one instance.
 * Nothing here logs; errors describe the image (format, size, dimensions), never its content.
 */
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        // Load the native codecs now, so a broken installation fails at start-up rather than on the first request.
        Loader.load(opencv_imgcodecs.class);
    }

    public ImageDecoder() {
        this(ImageLimits.defaults());
    }

    public ImageLimits limits() {
        return limits;
    }

    /**
     * Decodes base64 text, plain or as a {@code data:image/<type>;base64,} URL; whitespace and line breaks are
     * ignored and the URL-safe alphabet is accepted. The size limit is checked from the text's length before
     * anything is decoded.
     *
     * @throws RollcallException {@link ErrorCode#INVALID_IMAGE} or {@link ErrorCode#IMAGE_TOO_LARGE}
     */
    public DecodedImage decodeBase64(String base64) {
        return decode(Base64Image.decode(base64, limits.maxBytes()));
    }

    /**
     * Decodes encoded image bytes.
     *
     * @throws RollcallException {@link ErrorCode#INVALID_IMAGE} or {@link ErrorCode#IMAGE_TOO_LARGE}
     */
    public DecodedImage decode(byte[] data) {
        if (data == null) {
            throw new RollcallException(ErrorCode.INVALID_IMAGE, "no image: the image data is missing");
        }
        if (data.length == 0) {
            throw new RollcallException(ErrorCode.INVALID_IMAGE, "empty image: 0 bytes", Map.of("bytes", 0L));
        }
        checkByteSize(data.length);
        ImageFormat format = ImageFormat.sniff(data);
        ImageHeader header = ImageHeader.read(format, data);
        checkDimensions(header);
        Mat bgr = decodePixels(data, header);
        return new DecodedImage(bgr, format, header.hasAlpha(), header.grayscale());
    }

    private void checkByteSize(long bytes) {
        Base64Image.checkSize(bytes, limits.maxBytes());
    }

    private void checkDimensions(ImageHeader header) {
        String declared = header.format().displayName() + " declares " + header.width() + "x" + header.height();
        if (header.pixels() > limits.maxPixels()) {
            throw new RollcallException(ErrorCode.IMAGE_TOO_LARGE,
                    declared + " = " + header.pixels() + " pixels; the limit is " + limits.maxPixels() + " pixels",
                    Map.of("format", header.format().key(), "width", header.width(), "height", header.height(),
                            "pixels", header.pixels(), "limit", limits.maxPixels()));
        }
        int side = Math.max(header.width(), header.height());
        if (side > limits.maxSide()) {
            throw new RollcallException(ErrorCode.IMAGE_TOO_LARGE,
                    declared + " pixels; the longest side may be at most " + limits.maxSide() + " pixels",
                    Map.of("format", header.format().key(), "width", header.width(), "height", header.height(),
                            "side", side, "limit", (long) limits.maxSide()));
        }
    }

    /**
     * IMREAD_COLOR gives 8-bit BGR whatever the source: grey is expanded, alpha dropped, 16-bit scaled down, and
     * the EXIF orientation applied. Both native Mats are released on every path.
     */
    private static Mat decodePixels(byte[] data, ImageHeader header) {
        Mat decoded;
        try (Mat encoded = new Mat(1, data.length, CV_8UC1)) {
            encoded.data().put(data, 0, data.length);
            try {
                decoded = imdecode(encoded, IMREAD_COLOR);
            } catch (RuntimeException e) { // OpenCV reports some decoder failures as cv::Exception
                throw corruptPixels(data, header, e);
            }
        }
        if (decoded.empty() || decoded.type() != CV_8UC3 || !decoded.isContinuous()) {
            decoded.close();
            throw corruptPixels(data, header, null);
        }
        return decoded;
    }

    private static RollcallException corruptPixels(byte[] data, ImageHeader header, Throwable cause) {
        return new RollcallException(ErrorCode.INVALID_IMAGE,
                "corrupt or truncated " + header.format().displayName() + " data: the decoder could not read the pixels",
                Map.of("format", header.format().key(), "width", header.width(), "height", header.height(),
                        "bytes", (long) data.length),
                cause);
    }
}

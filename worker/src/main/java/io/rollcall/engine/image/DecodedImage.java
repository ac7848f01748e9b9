package io.rollcall.engine.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A decoded image: 8-bit BGR, 3 channels, continuous rows, already turned upright by its EXIF orientation.
 *
 * <p>The pixels live in native memory owned by this object, so use it in try-with-resources. Closing twice is
 * harmless. Not thread-safe: one request owns one image.
 */
public final class DecodedImage implements AutoCloseable {

    private final Mat bgr;
    private final ImageFormat format;
    private final int width;
    private final int height;
    private final boolean hadAlpha;
    private final boolean wasGrayscale;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Takes ownership of {@code bgr}, which must be a non-empty continuous {@code CV_8UC3} Mat. */
    DecodedImage(Mat bgr, ImageFormat format, boolean hadAlpha, boolean wasGrayscale) {
        if (bgr.type() != CV_8UC3 || bgr.empty() || !bgr.isContinuous()) {
            throw new IllegalArgumentException("expected a non-empty continuous CV_8UC3 Mat, got type " + bgr.type());
        }
        this.bgr = bgr;
        this.format = format;
        this.width = bgr.cols();
        this.height = bgr.rows();
        this.hadAlpha = hadAlpha;
        this.wasGrayscale = wasGrayscale;
    }

    /** Width in pixels, after EXIF rotation. */
    public int width() {
        return width;
    }

    /** Height in pixels, after EXIF rotation. */
    public int height() {
        return height;
    }

    /** The encoding the image arrived in. */
    public ImageFormat format() {
        return format;
    }

    /**
     * The source had an alpha channel or a transparent colour. It was dropped: the pixels are the stored colour
     * values, not composited onto a background, matching {@code cv2.imdecode(..., IMREAD_COLOR)} in the reference
     * InsightFace pipeline.
     */
    public boolean hadAlpha() {
        return hadAlpha;
    }

    /** The source declared a single grey channel; the three BGR channels are then equal. */
    public boolean wasGrayscale() {
        return wasGrayscale;
    }

    /**
     * The pixels as an OpenCV Mat ({@code CV_8UC3}, BGR). The Mat stays owned by this image: read it or copy it,
     * but do not close or release it, and do not use it after {@link #close()}.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public Mat mat() {
        ensureOpen();
        return bgr;
    }

    /**
     * Copies the pixels out as {@code height × width × 3} bytes, row by row, each pixel blue, green, red.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public byte[] toBgrBytes() {
        ensureOpen();
        // ImageLimits caps pixels so this product always fits in an int.
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        bgr.data().get(out, 0, out.length);
        return out;
    }

    /** Releases the native pixel memory. Later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            bgr.close();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the decoded image has been closed");
        }
    }

    @Override
    public String toString() {
        return "DecodedImage[" + format.displayName() + " " + width + "x" + height
                + (hadAlpha ? ", had alpha" : "") + (wasGrayscale ? ", was greyscale" : "") + (closed.get() ? ", closed" : "") + "]";
    }
}

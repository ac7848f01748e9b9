package io.rollcall.engine.image;

/**
 * What the decoder accepts from a client, checked before any pixel memory is allocated.
 *
 * @param maxBytes  largest encoded image, in bytes
 * @param maxPixels largest decoded image, in pixels (width × height, read from the header); this is what bounds
 *                  native memory, because a few kilobytes of PNG or JPEG can declare gigapixels (a decompression bomb)
 * @param maxSide   longest side in pixels
 */
public record ImageLimits(long maxBytes, long maxPixels, int maxSide) {

    /** The requirements' "maximum image size: 10MB", read as 10 MiB. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    /**
     * 50 megapixels: above the 48 MP of current phone cameras, and 150 MB as a BGR image, which a worker can afford
     * for one request at a time.
     */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    /** No camera's still photo is wider; 16383 is also WebP's own format limit. */
    public static final int DEFAULT_MAX_SIDE = 16_384;

    /** Keeps width × height × 3 within one Java array, so {@link DecodedImage#toBgrBytes()} can always copy out. */
    static final long PIXELS_CEILING = (Integer.MAX_VALUE - 8) / 3;

    public ImageLimits {
        if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes must be between 1 and " + (Integer.MAX_VALUE - 8) + ": " + maxBytes);
        }
        if (maxPixels <= 0 || maxPixels > PIXELS_CEILING) {
            throw new IllegalArgumentException("maxPixels must be between 1 and " + PIXELS_CEILING + ": " + maxPixels);
        }
        if (maxSide <= 0) {
            throw new IllegalArgumentException("maxSide must be positive: " + maxSide);
        }
    }

    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE);
    }

    public ImageLimits withMaxBytes(long bytes) {
        return new ImageLimits(bytes, maxPixels, maxSide);
    }

    public ImageLimits withMaxPixels(long pixels) {
        return new ImageLimits(maxBytes, pixels, maxSide);
    }

    public ImageLimits withMaxSide(int side) {
        return new ImageLimits(maxBytes, maxPixels, side);
    }
}

package io.rollcall.inference;

import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.metrics.WorkerMetrics;

/** Decodes the photos the use cases receive, timing each decode as the engine's first stage. */
public final class Photos {
    private final ImageDecoder decoder;

    public Photos(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * @throws io.rollcall.error.RollcallException {@code INVALID_IMAGE} or {@code IMAGE_TOO_LARGE}
     */
    public DecodedImage decode(byte[] image) {
        long start = System.nanoTime();
        DecodedImage decoded = decoder.decode(image);
        WorkerMetrics.decode((System.nanoTime() - start) / 1e6);
        return decoded;
    }
}

package io.rollcall.enroll;

import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.quality.QualityReport;
import io.rollcall.inference.EngineHolder;
import io.rollcall.inference.Photos;

/** Whether a photo would make a good enrollment, before anyone is enrolled from it. */
public final class QualityCheck {
    private final EngineHolder engines;
    private final Photos photos;

    public QualityCheck(EngineHolder engines, Photos photos) {
        this.engines = engines;
        this.photos = photos;
    }

    public QualityReport assess(byte[] image) {
        var engine = engines.engine();
        try (DecodedImage decoded = photos.decode(image)) {
            return engine.assessQuality(decoded);
        }
    }
}

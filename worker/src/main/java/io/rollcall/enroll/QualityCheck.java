package io.rollcall.enroll;

import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.quality.QualityReport;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.Photos;

/** Whether a photo would make a good enrollment, before anyone is enrolled from it. */
public final class QualityCheck {
    private final ActivePack packs;
    private final Photos photos;

    public QualityCheck(ActivePack packs, Photos photos) {
        this.packs = packs;
        this.photos = photos;
    }

    public QualityReport assess(byte[] image) {
        var engine = packs.current().engines().engine();
        try (DecodedImage decoded = photos.decode(image)) {
            return engine.assessQuality(decoded);
        }
    }
}

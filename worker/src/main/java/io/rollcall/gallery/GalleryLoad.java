package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import io.rollcall.storage.GalleryLoadSummary;
import io.rollcall.storage.GalleryRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A gallery's full load from the database, as a worker starts without a usable snapshot ({@link GallerySync}). */
final class GalleryLoad {
    private static final Logger log = LoggerFactory.getLogger(GalleryLoad.class);

    private GalleryLoad() {
    }

    /**
     * Streams the rows straight into the gallery: the loader parses each descriptor into one reused array and the
     * gallery keeps only its 8-bit copy in the heap, so no intermediate list of vectors is ever held. The heap needed
     * is checked first, against every {@code FaceData} row and, where that is too coarse, against the pack's own.
     */
    static void fromDatabase(Gallery gallery, GalleryRepository repository) {
        long upperBound = repository.countAllRows();
        long roughNeed = GalleryCapacity.bytesFor(upperBound, gallery.dimension());
        if (roughNeed > GalleryCapacity.freeBytes(false)) {
            // Only when it looks tight: a full collection for the live heap, and the pack's own rows (a table scan).
            long free = GalleryCapacity.freeBytes(true);
            if (roughNeed > free) {
                GalleryCapacity.require(gallery.modelPack(), repository.countRowsOf(gallery.modelPack(), gallery.dimension()),
                        gallery.dimension(), free);
            }
        }
        Map<PersonRef, String> names = new HashMap<>();
        GalleryLoadSummary summary;
        try {
            summary = repository.load(gallery.modelPack(), gallery.dimension(), (sampleId, person, name, embedding) -> {
                gallery.put(sampleId, person, null, embedding);
                if (name != null) {
                    names.put(person, name);
                }
            });
        } catch (OutOfMemoryError e) {
            // Only when other data filled the heap meanwhile: refuse with the numbers rather than die later.
            int loaded = gallery.size();
            gallery.clear();
            names.clear();
            GalleryCapacity.require(gallery.modelPack(), Math.max(loaded, upperBound), gallery.dimension(), 0);
            throw e;
        }
        gallery.putAll(List.of(), names);
        log.info("Gallery loaded from the database: {} samples of pack {} ({} legacy, {} of other packs, {} unusable, skipped)",
                summary.loaded(), gallery.modelPack(), summary.legacy(), summary.otherModel(), summary.unusable());
    }
}

package io.rollcall.health;

import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryReconciler;
import io.rollcall.gallery.GallerySync;
import java.time.Instant;
import io.rollcall.inference.EngineHolder;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.storage.DatabaseAccess;

/** What {@code GET /api/health} reports of a worker: its pack, gallery, database and memory. */
public final class WorkerHealth {
    private final EngineHolder engines;
    private final GallerySync sync;
    private final GalleryReconciler reconciler;
    private final DatabaseAccess db;
    private final OpenSetDecision decision;

    public WorkerHealth(EngineHolder engines, GallerySync sync, GalleryReconciler reconciler, DatabaseAccess db,
                        OpenSetDecision decision) {
        this.engines = engines;
        this.sync = sync;
        this.reconciler = reconciler;
        this.db = db;
        this.decision = decision;
    }

    /**
     * @param modelError       why the pack is not loaded, or null
     * @param databaseOk       the database answers and the gallery is in step with it
     * @param residentMemoryMb     null where it cannot be read
     * @param lastReconciledAt     when the gallery was last compared with the database; null before the first time
     * @param lastReconcileChanges what that comparison found changed by others and applied
     * @param similarityThreshold  the threshold a request without its own is decided with, for the whole gallery now
     * @param decision             the rule that threshold comes from
     * @param galleryMemoryMb      heap the gallery holds ({@link io.rollcall.gallery.GalleryStats#bytesUsed})
     */
    public record Status(String modelPack, boolean modelLoaded, String modelError, int enrolledFaces, int enrolledPersons,
                         double similarityThreshold, boolean databaseOk, long galleryVersion, Long residentMemoryMb,
                         Instant lastReconciledAt, int lastReconcileChanges, String decision, long galleryMemoryMb) {
    }

    public Status status() {
        Gallery gallery = sync.gallery();
        long rss = ResidentMemory.currentBytes();
        return new Status(engines.packName(), engines.loaded().isPresent(), engines.failureMessage().orElse(null),
                gallery.size(), gallery.personCount(), decision.threshold(gallery.size()), databaseAnswers() && sync.healthy(),
                sync.version(), rss < 0 ? null : rss / (1024 * 1024),
                reconciler.last().map(GalleryReconciler.Outcome::at).orElse(null),
                reconciler.last().map(GalleryReconciler.Outcome::changes).orElse(0), decision.describe(),
                gallery.stats().bytesUsed() >> 20);
    }

    private boolean databaseAnswers() {
        try {
            return db.read("check the database", () -> db.jdbc().sql("SELECT 1").query(Integer.class).single()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}

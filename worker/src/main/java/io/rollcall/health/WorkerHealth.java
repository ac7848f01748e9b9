package io.rollcall.health;

import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryReconciler;
import io.rollcall.gallery.GallerySync;
import java.time.Instant;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.EngineHolder;
import io.rollcall.inference.PackRuntime;
import java.util.function.Function;
import java.util.function.Supplier;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.storage.DatabaseAccess;

/** What {@code GET /api/health} reports of a worker: its pack, gallery, database and memory. */
public final class WorkerHealth {
    private final ActivePack packs;
    private final DatabaseAccess db;
    private final Function<ModelPack, OpenSetDecision> decisionOf;
    private volatile Supplier<CandidateState> candidate = () -> null;

    /** @param decisionOf the open-set decision of a pack */
    public WorkerHealth(ActivePack packs, DatabaseAccess db, Function<ModelPack, OpenSetDecision> decisionOf) {
        this.packs = packs;
        this.db = db;
        this.decisionOf = decisionOf;
    }

    /** A candidate pack as this worker holds it: loaded, or why not. */
    public record CandidateState(String pack, String state) {
    }

    private final Object changes = new Object();
    private long changeCount;

    /** Says that the status changed in a way the other processes should hear of now (a pack switch), not in 10 s. */
    public void changed() {
        synchronized (changes) {
            changeCount++;
            changes.notifyAll();
        }
    }

    /** Waits until {@link #changed} is called, at most {@code millis}. @throws InterruptedException when interrupted */
    public void awaitChange(long millis) throws InterruptedException {
        synchronized (changes) {
            long seen = changeCount;
            long deadline = System.currentTimeMillis() + millis;
            long left = millis;
            while (changeCount == seen && left > 0) {
                changes.wait(left);
                left = deadline - System.currentTimeMillis();
            }
        }
    }

    /** Where the worker's candidate is read from (the pack lifecycle); null from it: none. */
    public void candidate(Supplier<CandidateState> source) {
        this.candidate = source;
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
                         Instant lastReconciledAt, int lastReconcileChanges, String decision, CandidateState candidate,
                         long galleryMemoryMb) {
    }

    public Status status() {
        PackRuntime runtime = packs.current();
        EngineHolder engines = runtime.engines();
        GallerySync sync = runtime.sync();
        GalleryReconciler reconciler = runtime.reconciler();
        OpenSetDecision decision = decisionOf.apply(runtime.pack());
        Gallery gallery = sync.gallery();
        long rss = ResidentMemory.currentBytes();
        return new Status(runtime.name(), engines.loaded().isPresent(), engines.failureMessage().orElse(null),
                gallery.size(), gallery.personCount(), decision.threshold(gallery.size()), databaseAnswers() && sync.healthy(),
                sync.version(), rss < 0 ? null : rss / (1024 * 1024),
                reconciler.last().map(GalleryReconciler.Outcome::at).orElse(null),
                reconciler.last().map(GalleryReconciler.Outcome::changes).orElse(0), decision.describe(),
                candidate.get(), gallery.stats().bytesUsed() >> 20);
    }

    private boolean databaseAnswers() {
        try {
            return db.read("check the database", () -> db.jdbc().sql("SELECT 1").query(Integer.class).single()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}

package io.rollcall.inference;

import io.rollcall.engine.model.ModelPack;
import io.rollcall.gallery.GalleryReconciler;
import io.rollcall.gallery.GallerySync;

/**
 * One loaded model pack: its engine and the gallery of its embeddings, kept equal to the database by its own sync
 * and reconciliation. A worker has one for the active pack and, during a switch, one for the candidate.
 */
public record PackRuntime(ModelPack pack, EngineHolder engines, GallerySync sync, GalleryReconciler reconciler)
        implements AutoCloseable {

    /** The pack's name, as its gallery holds it. */
    public String name() {
        return sync.gallery().modelPack();
    }

    @Override
    public void close() {
        reconciler.close();
        sync.close();
        engines.close();
    }
}

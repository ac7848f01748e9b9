package io.rollcall.ingress.gateway;

import java.time.Instant;
import java.util.List;

/** The workers that have reported recently, each with its latest state. */
public interface WorkerRoster {

    /** Workers heard from within the last {@code 3 ×} their heartbeat interval, ordered by id; none that stopped. */
    List<WorkerState> current(Instant now);

    /**
     * One worker's latest heartbeat.
     *
     * @param galleryVersion       position of the last gallery change it applied; null before any
     * @param lastReconciledAt     when it last compared its gallery with the database; null before the first time
     * @param lastReconcileChanges what that comparison found changed by others
     * @param candidatePack        the candidate pack it holds beside {@code modelPack} (its active pack); null when none
     * @param candidateState       {@code loaded}, or why it could not load the candidate
     */
    record WorkerState(String workerId, Instant lastSeen, String modelPack, boolean modelLoaded, boolean databaseOk,
                       int enrolledFaces, Long galleryVersion, Instant lastReconciledAt, int lastReconcileChanges,
                       String candidatePack, String candidateState) {
    }
}

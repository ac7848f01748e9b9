package io.rollcall.packs;

/**
 * The lifecycle's state as {@code GET /api/admin/model} shows it (the ingress adds each worker's own from its
 * heartbeat).
 *
 * @param samples          Rollcall samples stored
 * @param candidateCovered of those, samples with a descriptor of the candidate (0 without a candidate)
 * @param job              the embedding job: {@code running on <worker>}, {@code completed}, or {@code failed: …}
 * @param message          what the command did, in words
 */
public record PackStatus(String activePack, String candidatePack, boolean shadow, long samples, long candidateCovered,
                         String job, String message, int purgedMoved, int purgedDeleted) {
}

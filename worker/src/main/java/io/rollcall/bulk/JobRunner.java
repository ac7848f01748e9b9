package io.rollcall.bulk;

import java.util.function.BooleanSupplier;

/**
 * Runs one kind of job for a {@link JobConsumer}, reporting its progress on the progress topic.
 *
 * @param <J> the job message
 */
interface JobRunner<J> {

    /** The job's id: the key of its progress events. */
    String jobId(J job);

    /**
     * Runs the job until it ends or {@code stopRequested} says to stop (asked between items).
     *
     * @return true when the job ended and its final status is published; false when it was stopped first (it runs
     *         again wherever its message is delivered next)
     * @throws io.rollcall.error.RollcallException {@code SERVICE_UNAVAILABLE} when its progress cannot be published
     */
    boolean run(J job, BooleanSupplier stopRequested);

    /**
     * Reports a job whose message cannot be read (written by a newer, incompatible ingress, or corrupt) as ABORTED
     * under its key, so that whoever submitted it learns so instead of waiting; it is then skipped.
     */
    void unreadable(String jobId, String reason);
}

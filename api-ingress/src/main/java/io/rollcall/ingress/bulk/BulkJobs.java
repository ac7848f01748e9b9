package io.rollcall.ingress.bulk;

import io.rollcall.schemas.BulkEnrollJob;
import java.util.Optional;

/** Where the ingress hands bulk jobs to the workers and learns how they are doing: Kafka in production. */
public interface BulkJobs {

    /**
     * Queues the job for a worker; returns once the queue has it.
     *
     * @throws io.rollcall.error.RollcallException {@code SERVICE_UNAVAILABLE} when the queue cannot be reached
     */
    void submit(BulkEnrollJob job);

    /** The job's latest known state, or empty for a job this ingress has never heard of. */
    Optional<JobState> find(String jobId);
}

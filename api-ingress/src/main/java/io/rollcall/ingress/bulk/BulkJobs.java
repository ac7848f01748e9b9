package io.rollcall.ingress.bulk;

import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.MigrationJob;
import java.util.Optional;

/**
 * Where the ingress hands jobs to the workers (CSV bulk imports, migrations from the old system) and learns how they
 * are doing: Kafka in production. Both kinds report on the one progress topic, so one board knows them all.
 */
public interface BulkJobs {

    /**
     * Queues the job for a worker; returns once the queue has it.
     *
     * @throws io.rollcall.error.RollcallException {@code SERVICE_UNAVAILABLE} when the queue cannot be reached
     */
    void submit(BulkEnrollJob job);

    /**
     * Queues a migration or a rollback for a worker; returns once the queue has it.
     *
     * @throws io.rollcall.error.RollcallException {@code SERVICE_UNAVAILABLE} when the queue cannot be reached
     */
    void submit(MigrationJob job);

    /** The job's latest known state, or empty for a job this ingress has never heard of. */
    Optional<JobState> find(String jobId);
}

package io.rollcall.ingress.bulk;

import io.rollcall.error.RollcallException;
import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.MigrationJob;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for Kafka's job topics: keeps every submitted job, and takes progress events as a worker would
 * publish them, into the same {@link JobBoard} the production reader fills.
 */
public final class FakeBulkJobs implements BulkJobs {
    private final List<BulkEnrollJob> submitted = new CopyOnWriteArrayList<>();
    private final List<MigrationJob> migrations = new CopyOnWriteArrayList<>();
    private volatile JobBoard board = new JobBoard();
    private volatile RollcallException failure;

    @Override
    public void submit(BulkEnrollJob job) {
        if (failure != null) {
            throw failure;
        }
        submitted.add(job);
        board.queued(job.getJobId(), job.getItems().size(), job.getSourceName(), Instant.now());
    }

    @Override
    public void submit(MigrationJob job) {
        if (failure != null) {
            throw failure;
        }
        migrations.add(job);
        board.queued(job.getJobId(), 0, null, Instant.now());
    }

    @Override
    public Optional<JobState> find(String jobId) {
        return board.find(jobId);
    }

    /** A worker's progress event arriving. */
    public void progress(BulkJobProgress event) {
        board.apply(event);
    }

    /** Every submit fails with {@code error}, as when Kafka cannot be reached. */
    public void fail(RollcallException error) {
        failure = error;
    }

    public List<BulkEnrollJob> submitted() {
        return List.copyOf(submitted);
    }

    public List<MigrationJob> migrations() {
        return List.copyOf(migrations);
    }

    public void reset() {
        submitted.clear();
        migrations.clear();
        board = new JobBoard();
        failure = null;
    }
}

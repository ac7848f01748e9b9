package io.rollcall.bulk;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.json.Json;
import io.rollcall.migrate.Migration;
import io.rollcall.migrate.MigrationOptions;
import io.rollcall.migrate.MigrationProgress;
import io.rollcall.migrate.MigrationReport;
import io.rollcall.migrate.RollbackReport;
import io.rollcall.person.PersonType;
import io.rollcall.schemas.BulkJobStatus;
import io.rollcall.schemas.MigrationJob;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one migration job ({@code POST /api/admin/migration}) or rollback ({@code .../rollback}) through
 * {@link Migration}, publishing its progress like a bulk import's: {@code total} the people selected, {@code done}
 * those finished, {@code failed} those left without a usable photo; and, when it ends, the report as
 * {@code report_json}. A migration's batch id is its job id, so a job delivered again (its worker stopped half-way)
 * continues its own batch where it stopped.
 *
 * <p>A failure of the service ({@code DATABASE_ERROR}, {@code MODEL_NOT_LOADED}, ...), invalid options or an
 * unknown batch ({@code NOT_FOUND}) end the job as ABORTED with the failure as {@code last_error}; a migration can
 * simply be submitted again and resumes what was not done.
 */
final class MigrationJobRunner implements JobRunner<MigrationJob> {
    private static final Logger log = LoggerFactory.getLogger(MigrationJobRunner.class);

    private final Migration migration;
    private final ProgressPublisher progress;

    MigrationJobRunner(Migration migration, ProgressPublisher progress) {
        this.migration = migration;
        this.progress = progress;
    }

    @Override
    public String jobId(MigrationJob job) {
        return job.getJobId();
    }

    @Override
    public boolean run(MigrationJob job, BooleanSupplier stopRequested) {
        MDC.put("request_id", job.getJobId());
        try {
            return job.getRollbackBatchId() != null ? rollback(job) : migrate(job, stopRequested);
        } finally {
            MDC.remove("request_id");
        }
    }

    private boolean migrate(MigrationJob job, BooleanSupplier stopRequested) {
        AtomicReference<MigrationProgress> last = new AtomicReference<>(new MigrationProgress(0, 0, 0, 0));
        publish(job, BulkJobStatus.RUNNING, last.get(), null);
        try {
            Optional<MigrationReport> report = migration.run(job.getJobId(), options(job), p -> {
                last.set(p);
                publish(job, BulkJobStatus.RUNNING, p, null);
            }, stopRequested);
            if (report.isEmpty()) {
                return false;
            }
            publish(job, BulkJobStatus.COMPLETED, last.get(), Json.MAPPER.writeValueAsString(report.get()));
            return true;
        } catch (RollcallException e) {
            return aborted(job, last.get(), e);
        } catch (RuntimeException e) {
            log.error("Migration {} failed unexpectedly", job.getJobId(), e);
            return aborted(job, last.get(), new RollcallException(ErrorCode.INTERNAL_ERROR, "Internal error in the worker"));
        }
    }

    private boolean rollback(MigrationJob job) {
        AtomicReference<MigrationProgress> last = new AtomicReference<>(new MigrationProgress(0, 0, 0, 0));
        publish(job, BulkJobStatus.RUNNING, last.get(), null);
        try {
            RollbackReport report = migration.rollback(job.getRollbackBatchId(), p -> {
                last.set(p);
                publish(job, BulkJobStatus.RUNNING, p, null);
            }, job.getJobId());
            publish(job, BulkJobStatus.COMPLETED, last.get(), Json.MAPPER.writeValueAsString(report));
            return true;
        } catch (RollcallException e) {
            return aborted(job, last.get(), e);
        } catch (RuntimeException e) {
            log.error("Rollback {} failed unexpectedly", job.getJobId(), e);
            return aborted(job, last.get(), new RollcallException(ErrorCode.INTERNAL_ERROR, "Internal error in the worker"));
        }
    }

    /** @throws RollcallException {@code VALIDATION_ERROR} for options the ingress should have refused */
    private static MigrationOptions options(MigrationJob job) {
        return new MigrationOptions(
                Optional.ofNullable(job.getPersonType()).map(t -> PersonType.valueOf(t.name())),
                job.getCampus(), job.getForm(), new LinkedHashSet<>(job.getCodes()), job.getLimit(), job.getDryRun());
    }

    @Override
    public void unreadable(String jobId, String reason) {
        progress.unreadable(jobId, "The migration job message could not be read (" + reason + "); submit it again");
    }

    private boolean aborted(MigrationJob job, MigrationProgress at, RollcallException why) {
        log.warn("Migration job {} aborted after {} of {} people: {} {}", job.getJobId(), at.done(), at.total(),
                why.code(), why.getMessage());
        progress.publish(job.getJobId(), BulkJobStatus.ABORTED, at.total(), at.done(), at.withoutUsablePhoto(),
                ProgressPublisher.failure(-1, null, null, why), null);
        return true;
    }

    private void publish(MigrationJob job, BulkJobStatus status, MigrationProgress p, String reportJson) {
        progress.publish(job.getJobId(), status, p.total(), p.done(), p.withoutUsablePhoto(), null, reportJson);
    }
}

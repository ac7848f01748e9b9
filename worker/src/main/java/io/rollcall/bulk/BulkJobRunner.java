package io.rollcall.bulk;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.schemas.BulkEnrollItem;
import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.BulkItemFailure;
import io.rollcall.schemas.BulkJobStatus;
import io.rollcall.enroll.FaceEnrollment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one bulk job: every item in order, one at a time, through {@link FaceEnrollment}, with a progress event
 * when it starts, after every item, and a final COMPLETED or ABORTED.
 *
 * <ul>
 *   <li>One bad item never fails the others: its failure (the same error code {@code POST /api/face/enroll} would
 *       answer, and its CSV line) is counted and reported, and the job goes on.</li>
 *   <li>A failure that is the service's rather than the photo's ({@code MODEL_NOT_LOADED}, {@code DATABASE_ERROR},
 *       {@code SERVICE_UNAVAILABLE}, including a missing import folder) would fail every remaining item the same
 *       way, so it ends the job as ABORTED with that failure as {@code last_error}; submitting the CSV again
 *       resumes it, because items already enrolled count as done.</li>
 *   <li>The same photo already enrolled for the same person counts as enrolled
 *       ({@link FaceEnrollment.SamePhoto#ALREADY_ENROLLED}): a job redelivered after a worker stopped half-way, or
 *       submitted twice, ends with the same counts and no second copy of any photo.</li>
 *   <li>Items run one at a time on purpose: an import then uses one inference slot, and live recognitions at the
 *       school's doors keep the others.</li>
 * </ul>
 */
final class BulkJobRunner implements JobRunner<BulkEnrollJob> {
    private static final Logger log = LoggerFactory.getLogger(BulkJobRunner.class);

    private final FaceEnrollment enrollment;
    private final Path importDir;
    private final long maxImageBytes;
    private final ProgressPublisher progress;

    BulkJobRunner(FaceEnrollment enrollment, Path importDir, long maxImageBytes, ProgressPublisher progress) {
        this.enrollment = enrollment;
        this.importDir = importDir;
        this.maxImageBytes = maxImageBytes;
        this.progress = progress;
    }

    @Override
    public String jobId(BulkEnrollJob job) {
        return job.getJobId();
    }

    /** Runs again from the first item when it was stopped: items already enrolled then count as done. */
    @Override
    public boolean run(BulkEnrollJob job, BooleanSupplier stopRequested) {
        MDC.put("request_id", job.getJobId());
        try {
            return runItems(job, stopRequested);
        } finally {
            MDC.remove("request_id");
        }
    }

    private boolean runItems(BulkEnrollJob job, BooleanSupplier stopRequested) {
        List<BulkEnrollItem> items = job.getItems();
        int total = items.size();
        log.info("Bulk job {} started: {} items from {}", job.getJobId(), total,
                job.getSourceName() == null ? "an unnamed CSV" : job.getSourceName());
        publish(job, BulkJobStatus.RUNNING, 0, 0, null);
        ImportDirectory dir;
        try {
            dir = ImportDirectory.open(importDir);
        } catch (RollcallException e) {
            return aborted(job, 0, 0, failure(-1, null, e));
        }
        int done = 0;
        int failed = 0;
        BulkItemFailure lastError = null;
        for (int i = 0; i < total; i++) {
            if (stopRequested.getAsBoolean()) {
                log.info("Bulk job {} stopped after {} of {} items; it will run again where it is delivered next",
                        job.getJobId(), done, total);
                return false;
            }
            BulkEnrollItem item = items.get(i);
            try {
                enroll(job, item, dir);
            } catch (RollcallException e) {
                BulkItemFailure failure = failure(i, item, e);
                if (e.code().httpStatus() == 503) {
                    return aborted(job, done, failed, failure);
                }
                log.info("Bulk job {} line {} ({}): {} {}", job.getJobId(), item.getSourceLine(), item.getPersonCode(),
                        e.code(), e.getMessage());
                failed++;
                lastError = failure;
            } catch (RuntimeException e) {
                log.error("Bulk job {} item {} failed unexpectedly", job.getJobId(), i, e);
                failed++;
                lastError = failure(i, item, new RollcallException(ErrorCode.INTERNAL_ERROR, "Internal error in the worker"));
            }
            done++;
            publish(job, done == total ? BulkJobStatus.COMPLETED : BulkJobStatus.RUNNING, done, failed, lastError);
        }
        if (total == 0) {
            publish(job, BulkJobStatus.COMPLETED, 0, 0, null);
        }
        log.info("Bulk job {} completed: {} enrolled, {} failed", job.getJobId(), done - failed, failed);
        return true;
    }

    private void enroll(BulkEnrollJob job, BulkEnrollItem item, ImportDirectory dir) {
        PersonRef person;
        try {
            person = new PersonRef(PersonType.valueOf(item.getPersonType().name()), item.getPersonCode());
        } catch (IllegalArgumentException e) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "person_code is not valid: " + e.getMessage(),
                    Map.of("field", "person_code"));
        }
        byte[] image = dir.read(item.getImagePath(), maxImageBytes);
        enrollment.enroll(new FaceEnrollment.Request(person, item.getPersonName(), image, item.getImagePath(), null,
                FaceEnrollment.Rules.job(job.getAllowDuplicate()), job.getJobId()));
    }

    @Override
    public void unreadable(String jobId, String reason) {
        progress.unreadable(jobId, "The bulk job message could not be read (" + reason + "); submit the CSV again");
    }

    private boolean aborted(BulkEnrollJob job, int done, int failed, BulkItemFailure why) {
        log.warn("Bulk job {} aborted after {} items: {} {}", job.getJobId(), done, why.getError().getCode(), why.getError().getMessage());
        publish(job, BulkJobStatus.ABORTED, done, failed, why);
        return true;
    }

    private void publish(BulkEnrollJob job, BulkJobStatus status, int done, int failed, BulkItemFailure lastError) {
        progress.publish(job.getJobId(), status, job.getItems().size(), done, failed, lastError, null);
    }

    /** An item's failure; {@code index} -1 and a null item for the job as a whole. */
    private static BulkItemFailure failure(int index, BulkEnrollItem item, RollcallException e) {
        return ProgressPublisher.failure(index, item == null ? null : item.getPersonCode(),
                item == null ? null : item.getSourceLine(), e);
    }
}

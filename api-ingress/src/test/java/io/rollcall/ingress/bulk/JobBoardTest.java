package io.rollcall.ingress.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schemas.BulkItemFailure;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.BulkJobStatus;
import io.rollcall.schemas.ErrorInfo;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobBoardTest {
    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    private final JobBoard board = new JobBoard();

    @Test
    void aSubmittedJobIsQueuedUntilAWorkerReportsAndUnknownJobsAreAbsent() {
        board.queued("job-1", 3, "form7.csv", T0);

        JobState queued = board.find("job-1").orElseThrow();
        assertThat(queued.status()).isEqualTo("queued");
        assertThat(queued.total()).isEqualTo(3);
        assertThat(queued.workerId()).isNull();
        assertThat(board.find("job-2")).isEmpty();
    }

    @Test
    void collectsEveryFailedItemFromTheEventsLastErrorOnceEach() {
        board.queued("job-1", 4, "form7.csv", T0);
        board.apply(progress("job-1", BulkJobStatus.RUNNING, 0, 0, null));
        board.apply(progress("job-1", BulkJobStatus.RUNNING, 1, 1, failure(0, 2, "S001", "NO_FACE_DETECTED")));
        board.apply(progress("job-1", BulkJobStatus.RUNNING, 2, 1, failure(0, 2, "S001", "NO_FACE_DETECTED")));
        board.apply(progress("job-1", BulkJobStatus.RUNNING, 3, 2, failure(2, 4, "S003", "DUPLICATE_ENROLLMENT")));
        board.apply(progress("job-1", BulkJobStatus.COMPLETED, 4, 2, failure(2, 4, "S003", "DUPLICATE_ENROLLMENT")));

        JobState done = board.find("job-1").orElseThrow();
        assertThat(done.status()).isEqualTo("completed");
        assertThat(done.done()).isEqualTo(4);
        assertThat(done.failed()).isEqualTo(2);
        assertThat(done.sourceName()).isEqualTo("form7.csv");
        assertThat(done.workerId()).isEqualTo("worker-1");
        assertThat(done.failures()).extracting(JobState.ItemFailure::line, JobState.ItemFailure::errorCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, "NO_FACE_DETECTED"),
                        org.assertj.core.groups.Tuple.tuple(4, "DUPLICATE_ENROLLMENT"));
        assertThat(done.lastError().details()).isEqualTo(Map.of("matched_person_code", "S009"));
    }

    @Test
    void aJobRunAgainFromTheStartStartsAFreshListOfFailures() {
        board.apply(progress("job-1", BulkJobStatus.RUNNING, 0, 0, null));
        board.apply(progress("job-1", BulkJobStatus.RUNNING, 1, 1, failure(0, 2, "S001", "NO_FACE_DETECTED")));
        board.apply(progress("job-1", BulkJobStatus.RUNNING, 0, 0, null));

        JobState rerun = board.find("job-1").orElseThrow();
        assertThat(rerun.failures()).isEmpty();
        assertThat(rerun.lastError()).isNull();
        assertThat(rerun.status()).isEqualTo("running");
    }

    @Test
    void aWorkersEventThatArrivesBeforeTheSubmitterRecordsTheJobIsNotOverwritten() {
        board.apply(progress("job-1", BulkJobStatus.RUNNING, 1, 0, null));
        board.queued("job-1", 3, "form7.csv", T0);

        JobState state = board.find("job-1").orElseThrow();
        assertThat(state.status()).isEqualTo("running");
        assertThat(state.done()).isEqualTo(1);
        assertThat(state.sourceName()).isEqualTo("form7.csv");
    }

    @Test
    void keepsTheMostRecentlyUpdatedJobsAndAListOfAtMostTwoHundredFailures() {
        for (int i = 0; i <= JobBoard.MAX_JOBS; i++) {
            board.queued("job-" + i, 1, null, T0);
        }
        assertThat(board.find("job-0")).isEmpty();
        assertThat(board.find("job-1")).isPresent();

        for (int i = 0; i < 250; i++) {
            board.apply(progress("job-1", BulkJobStatus.RUNNING, i + 1, i + 1, failure(i, i + 2, "S" + i, "NO_FACE_DETECTED")));
        }
        JobState many = board.find("job-1").orElseThrow();
        assertThat(many.failed()).isEqualTo(250);
        assertThat(many.failures()).hasSize(JobBoard.MAX_FAILURES);
        assertThat(many.failuresTruncated()).isTrue();
    }

    private static BulkJobProgress progress(String jobId, BulkJobStatus status, int done, int failed, BulkItemFailure lastError) {
        return BulkJobProgress.newBuilder().setJobId(jobId).setStatus(status).setTotal(4).setDone(done).setFailed(failed)
                .setLastError(lastError).setWorkerId("worker-1").setUpdatedAt(T0.plusSeconds(done)).build();
    }

    private static BulkItemFailure failure(int index, int line, String code, String errorCode) {
        return BulkItemFailure.newBuilder().setItemIndex(index).setSourceLine(line).setPersonCode(code)
                .setError(ErrorInfo.newBuilder().setCode(errorCode).setMessage("because")
                        .setDetailsJson(errorCode.equals("DUPLICATE_ENROLLMENT") ? "{\"matched_person_code\": \"S009\", \"x\": null}" : null)
                        .build())
                .build();
    }
}

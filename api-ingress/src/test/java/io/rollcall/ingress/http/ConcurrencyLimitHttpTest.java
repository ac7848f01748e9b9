package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.schemas.DeleteCommand;
import io.rollcall.schemas.DeleteResult;
import io.rollcall.schemas.ListCommand;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.schemas.RecognizeResult;
import io.rollcall.schemas.StatusCommand;
import io.rollcall.schemas.StatusResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * One slot ({@code MAX_CONCURRENT_REQUESTS=1}) and a worker that holds every recognition until the test lets it
 * go, so which request runs, waits or is refused is decided by the limit alone.
 */
@TestPropertySource(properties = {"ingress.env.MAX_CONCURRENT_REQUESTS=1", "ingress.env.QUEUE_TIMEOUT_MS=20000"})
class ConcurrencyLimitHttpTest extends IngressHttpTest {
    private static final String SCAN = "{\"image_base64\": \"" + JPEG_DATA_URL + "\"}";

    @Autowired
    MeterRegistry meters;

    private final CountDownLatch workerMayAnswer = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void workerHoldsRecognitionsAndAnswersEverythingElseAtOnce() {
        gateway.answer(this::holdingWorker);
    }

    @AfterEach
    void letEveryoneFinish() {
        workerMayAnswer.countDown();
        callers.close();
    }

    private SpecificRecord holdingWorker(SpecificRecord command) {
        return switch (command) {
            case RecognizeCommand c -> {
                try {
                    assertThat(workerMayAnswer.await(30, TimeUnit.SECONDS)).as("the test let the worker answer").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                yield RecognizeResult.newBuilder().setMatch(null).build();
            }
            case StatusCommand c -> StatusResult.newBuilder().setModelPack("buffalo_l").setModelLoaded(true)
                    .setEnrolledFaces(0).setEnrolledPersons(0).setSimilarityThreshold(0.6).setDatabaseOk(true).build();
            case ListCommand c -> ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build();
            case DeleteCommand c -> DeleteResult.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001")
                    .setDeletedSamples(1).build();
            default -> throw new IllegalStateException("unexpected " + command.getSchema().getName());
        };
    }

    private HttpAnswer recognize() {
        return postJson("/api/face/recognize", SCAN);
    }

    /** A recognition that takes the one slot and keeps it until the worker may answer. */
    private Future<HttpAnswer> recognitionHoldingTheSlot() {
        int before = gateway.calls().size();
        Future<HttpAnswer> first = callers.submit(this::recognize);
        eventually(() -> gateway.calls().size() == before + 1, "the first recognition reached the worker");
        return first;
    }

    private Future<HttpAnswer> recognitionWaitingForTheSlot() {
        Future<HttpAnswer> waiting = callers.submit(this::recognize);
        eventually(() -> gauge("rollcall.http.concurrency.queued") == 1, "a recognition waits for the slot");
        return waiting;
    }

    @Test
    void aSecondRequestWaitsForTheSlotAndAThirdIsRefusedWith503AndRetryAfter() throws Exception {
        double refusedBefore = rejected("queue_full");
        Future<HttpAnswer> first = recognitionHoldingTheSlot();
        Future<HttpAnswer> second = recognitionWaitingForTheSlot();

        HttpAnswer third = recognize();

        ObjectNode details = third.assertError(503, ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(third.header("Retry-After")).isEqualTo("20");
        assertThat(details.get("retry_after_seconds").asLong()).isEqualTo(20);
        assertThat(details.get("max_concurrent_requests").asInt()).isEqualTo(1);
        assertThat(details.get("queue_timeout_ms").asLong()).isEqualTo(20_000);
        assertThat(rejected("queue_full")).isEqualTo(refusedBefore + 1);
        assertThat(gauge("rollcall.http.concurrency.in_flight")).isEqualTo(1);
        assertThat(second).as("the waiting recognition").isNotDone();
        assertThat(gateway.calls()).as("only the first reached the worker").hasSize(1);

        workerMayAnswer.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(gateway.calls()).hasSize(2);
        eventually(() -> gauge("rollcall.http.concurrency.in_flight") == 0, "the slot is free again");
        assertThat(gauge("rollcall.http.concurrency.queued")).isZero();
    }

    @Test
    void healthListAndDeleteAreNotHeldBackWhileEverySlotIsTakenAndTheQueueIsFull() {
        recognitionHoldingTheSlot();
        recognitionWaitingForTheSlot();

        assertThat(get("/api/health").status()).isEqualTo(200);
        assertThat(get("/api/face/list/all").status()).isEqualTo(200);
        assertThat(deleteJson("/api/face/delete", "{\"person_type\": \"student\", \"person_code\": \"S001\"}").status())
                .isEqualTo(200);
        assertThat(get("/api/openapi.json").status()).isEqualTo(200);
    }

    @Test
    void theRefusalCarriesTheCorsHeadersSoABrowserCanReadRetryAfter() {
        recognitionHoldingTheSlot();
        recognitionWaitingForTheSlot();

        HttpAnswer refused = postJson("/api/face/recognize", SCAN, "Origin", "https://admin.school.example");

        refused.assertError(503, ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo("https://admin.school.example");
        assertThat(refused.header("Access-Control-Expose-Headers")).contains("Retry-After");
    }

    @Nested
    @TestPropertySource(properties = "ingress.env.QUEUE_TIMEOUT_MS=200")
    class WithAShortQueueTimeout {

        @Test
        void aRequestStillWaitingAtTheTimeoutIsRefused() {
            double timedOutBefore = rejected("queue_timeout");
            recognitionHoldingTheSlot();
            long start = System.nanoTime();

            HttpAnswer second = recognize();

            assertThat((System.nanoTime() - start) / 1_000_000).as("ms waited").isGreaterThanOrEqualTo(200);
            second.assertError(503, ErrorCode.SERVICE_UNAVAILABLE);
            assertThat(second.header("Retry-After")).isEqualTo("1");
            assertThat(rejected("queue_timeout")).isEqualTo(timedOutBefore + 1);
            assertThat(gateway.calls()).hasSize(1);
        }

        @Test
        void theSlotIsFreedAfterSuccessWorkerErrorsTimeoutsCrashesAndBadInput() {
            // Each outcome in turn, many times over: with one slot and a short wait, a single slot that one of them
            // failed to give back would turn every later request into a 503.
            AtomicInteger turn = new AtomicInteger();
            gateway.answer(command -> switch (turn.getAndIncrement() % 4) {
                case 0 -> RecognizeResult.newBuilder().setMatch(null).build();
                case 1 -> throw new RollcallException(ErrorCode.NO_FACE_DETECTED, "No face detected in the provided image");
                case 2 -> throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "No worker answered within 5000 ms");
                default -> throw new IllegalStateException("a bug in the worker path");
            });
            List<Integer> statuses = new ArrayList<>();

            for (int round = 0; round < 5; round++) {
                for (int outcome = 0; outcome < 4; outcome++) {
                    statuses.add(recognize().status());
                }
                statuses.add(postJson("/api/face/recognize", "{\"image_base64\": \"not base64!\"}").status());
                statuses.add(postJson("/api/face/recognize", "{not json").status());
            }

            assertThat(statuses).doesNotContain(503).containsOnly(200, 422, 504, 500, 400);
            assertThat(recognize().status()).as("a request after all of them").isEqualTo(200);
            assertThat(gauge("rollcall.http.concurrency.in_flight")).isZero();
        }
    }

    @Nested
    @TestPropertySource(properties = "ingress.env.MAX_CONCURRENT_REQUESTS=0")
    class WhenTheLimitIsZero {

        @Test
        void everyRequestGoesThroughAtOnce() throws Exception {
            List<Future<HttpAnswer>> held = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                held.add(callers.submit(ConcurrencyLimitHttpTest.this::recognize));
            }

            eventually(() -> gateway.calls().size() == 5, "all five recognitions reached the worker at once");
            workerMayAnswer.countDown();

            for (Future<HttpAnswer> answer : held) {
                assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            assertThat(meters.find("rollcall.http.concurrency.in_flight").gauge()).as("no in-flight gauge without a limit").isNull();
        }
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private double rejected(String reason) {
        return meters.get("rollcall.http.concurrency.rejected").tag("reason", reason).counter().count();
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

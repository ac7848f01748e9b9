package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.TestIngressSettings;
import io.rollcall.schemas.EnrollResult;
import io.rollcall.schemas.RecognizeResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code MAX_INFLIGHT_REQUEST_BYTES}: the bodies of all requests in flight together never exceed it, whatever the mix
 * of callers. A worker that holds every command until the test lets it go keeps requests in flight; 200,000 bytes
 * hold three bodies of 60,000 but not four. The proof does not depend on the heap: it counts the bytes admitted.
 */
@TestPropertySource(properties = {"ingress.env.MAX_INFLIGHT_REQUEST_BYTES=" + InflightBudgetHttpTest.BUDGET,
        "ingress.env.QUEUE_TIMEOUT_MS=1000"})
class InflightBudgetHttpTest extends IngressHttpTest {
    static final long BUDGET = 200_000;
    private static final int BODY = 60_000;
    /** What the batch-enroll attack of the issue sent, twice at once: 598 MB each, against a 1 GiB heap. */
    private static final long ATTACK_BODY = 598_000_000;

    @Autowired
    MeterRegistry meters;

    @Autowired
    IngressSettings settings;

    @LocalServerPort
    int port;

    private final CountDownLatch workerMayAnswer = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void workerHoldsEveryCommand() {
        gateway.answer(this::holdingWorker);
    }

    @AfterEach
    void letEveryoneFinish() {
        workerMayAnswer.countDown();
        callers.close();
    }

    private SpecificRecord holdingWorker(SpecificRecord command) {
        try {
            assertThat(workerMayAnswer.await(30, TimeUnit.SECONDS)).as("the test let the worker answer").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return command instanceof io.rollcall.schemas.EnrollCommand
                ? EnrollResult.newBuilder().setPersonCode("S001").setEmbeddingId(1).setSamples(1).build()
                : RecognizeResult.newBuilder().setMatch(null).build();
    }

    /** A recognition of exactly {@code size} bytes: a valid photo and an ignored padding field. */
    private static String recognition(int size) {
        String head = "{\"image_base64\": \"%s\", \"padding\": \"".formatted(JPEG_DATA_URL);
        return head + "x".repeat(size - head.length() - 2) + "\"}";
    }

    /** A batch of one enrollment, padded to exactly {@code size} bytes. */
    private static String batch(int size) {
        String head = """
                {"enrollments": [{"person_type": "student", "person_code": "S001", "person_name": "Ada",
                "image_base64": "%s"}], "padding": \"""".formatted(JPEG_DATA_URL);
        return head + "x".repeat(size - head.length() - 2) + "\"}";
    }

    private double reservedBytes() {
        return meters.get("rollcall.http.inflight.request.bytes").gauge().value();
    }

    private List<Future<HttpAnswer>> heldRecognitions(int count) {
        List<Future<HttpAnswer>> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(callers.submit(() -> postJson("/api/face/recognize", recognition(BODY))));
        }
        eventually(() -> gateway.calls().size() == count, count + " recognitions reached the worker");
        return held;
    }

    @Test
    void theBodiesInFlightNeverExceedTheBudgetAndTheOneThatDoesNotFitIsRefusedWithRetryAfter() throws Exception {
        List<Future<HttpAnswer>> held = heldRecognitions(3);
        assertThat(reservedBytes()).isEqualTo(3 * BODY);

        HttpAnswer fourth = postJson("/api/face/recognize", recognition(BODY));

        ObjectNode details = fourth.assertError(503, ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(fourth.header("Retry-After")).isEqualTo("1");
        assertThat(details.get("bytes").asLong()).isEqualTo(BODY);
        assertThat(details.get("max_inflight_request_bytes").asLong()).isEqualTo(BUDGET);
        assertThat(gateway.calls()).as("the fourth never reached the worker").hasSize(3);
        assertThat(reservedBytes()).isEqualTo(3 * BODY).isLessThanOrEqualTo(BUDGET);
        workerMayAnswer.countDown();
        for (Future<HttpAnswer> answer : held) {
            assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        eventually(() -> reservedBytes() == 0, "every reservation is returned");
    }

    @Test
    void aRequestThatDoesNotFitWaitsBrieflyAndIsServedOnceBytesAreReturned() throws Exception {
        heldRecognitions(3);
        Future<HttpAnswer> fourth = callers.submit(() -> postJson("/api/face/recognize", recognition(BODY)));
        Thread.sleep(200);
        assertThat(fourth).as("the fourth waits for room").isNotDone();

        workerMayAnswer.countDown();

        assertThat(fourth.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(gateway.calls()).hasSize(4);
    }

    @Test
    void aMixOfBatchesAndRecognitionsIsBoundedAlike() throws Exception {
        int batchBody = (int) settings.bodyLimits().of("POST", "/api/face/batch-enroll");
        heldRecognitions(1);
        Future<HttpAnswer> firstBatch = callers.submit(() -> postJson("/api/face/batch-enroll", batch(batchBody)));
        eventually(() -> gateway.calls().size() == 2, "the first batch reached the worker");

        HttpAnswer secondBatch = postJson("/api/face/batch-enroll", batch(batchBody));

        assertThat(BODY + 2L * batchBody).as("what both batches and the recognition would hold").isGreaterThan(BUDGET);
        secondBatch.assertError(503, ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(reservedBytes()).isEqualTo(BODY + batchBody);
        workerMayAnswer.countDown();
        assertThat(firstBatch.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    @Test
    void twoBatchesOfTheIssuesSizeAreRefusedAs413BeforeAByteIsRead() throws Exception {
        List<Future<String>> attacks = List.of(callers.submit(() -> declaredOnly(ATTACK_BODY)),
                callers.submit(() -> declaredOnly(ATTACK_BODY)));

        for (Future<String> attack : attacks) {
            String answer = attack.get(10, TimeUnit.SECONDS);
            assertThat(answer).startsWith("HTTP/1.1 413 ").contains("\"error_code\":\"REQUEST_TOO_LARGE\"")
                    .contains("\"limit\":" + settings.bodyLimits().of("POST", "/api/face/batch-enroll"));
        }
        assertThat(settings.bodyLimits().of("POST", "/api/face/batch-enroll")).isLessThanOrEqualTo(BUDGET);
        assertThat(reservedBytes()).isZero();
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void theTestsOwnSettingsLeaveRoomForOneVerify() {
        assertThat(BUDGET).isGreaterThanOrEqualTo(BodyLimits.photoRequest(TestIngressSettings.MAX_IMAGE_BYTES, 2));
    }

    /**
     * Sends only the head of a batch-enroll request declaring {@code length} bytes, as an attacker starting a huge
     * upload, and returns what the server answers before any of the body is sent.
     */
    private String declaredOnly(long length) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/face/batch-enroll HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while (!answer.toString().contains("\"request_id\"") && (n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            return answer.toString();
        }
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

package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GallerySync;
import io.rollcall.transport.KafkaGalleryFeed;
import io.rollcall.json.Json;
import io.rollcall.messaging.MessageKeys;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.PersonType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import tools.jackson.databind.JsonNode;

/**
 * Once an enroll or delete has returned, a recognition sees it on whichever worker it lands.
 *
 * <p>Two workers share the request topic, and worker-2's gallery lags: it applies each gallery change only
 * {@link #LAG} after it was published ({@link KafkaGalleryFeed#lagBehind}), as a busy or briefly cut-off worker would.
 * Enrollments and deletions are routed to worker-1 and recognitions to worker-2, by choosing person codes and
 * request ids whose record keys fall on partitions the worker owns. A recognition right after an enroll or delete
 * thus asks the lagging worker about a change the other one made, which it has provably not applied yet; it answers
 * right only because a recognition first waits until its gallery holds every change published before it started
 * ({@link GallerySync#startCatchUp}). Without that wait, both tests fail.
 */
class ReadYourWritesTest {
    /**
     * Several times what a recognition of these small photos takes (about 200 ms), so that without the read barrier
     * the recognition would search long before the change arrives; with it, each such recognition takes about this long.
     */
    private static final Duration LAG = Duration.ofMillis(1000);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Numbers person codes and request ids, so that each is new. */
    private static final AtomicInteger keys = new AtomicInteger();

    @TempDir
    static Path dir;
    static RunningService service;
    static ConfigurableApplicationContext writer;
    static ConfigurableApplicationContext lagging;

    @BeforeAll
    static void start() throws Exception {
        service = new RunningService(dir, 2, Map.of());
        writer = service.workers.get(0);
        lagging = service.workers.get(1);
        awaitPartitionsSplitBetweenBothWorkers();
        lagging.getBean(KafkaGalleryFeed.class).lagBehind(LAG);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    /**
     * Every test starts with worker-2 holding every change made so far, so that what it has not applied yet is the
     * test's own change.
     */
    @BeforeEach
    void awaitLaggingWorkerCaughtUp() {
        lagging.getBean(GallerySync.class).startCatchUp(Duration.ofSeconds(10)).run();
    }

    @Test
    void aRecognitionOnALaggingWorkerSeesAnEnrollmentThatReturnedOnTheOther() throws Exception {
        String[][] people = {
                {"tom_hanks/01.jpg", "tom_hanks/04.jpg"},
                {"scarlett_johansson/01.jpg", "scarlett_johansson/07.jpg"}};
        for (String[] p : people) {
            String code = personCodeServedBy(writer, "E");
            int personsBefore = laggingGallery().personCount();

            Reply enrolled = service.http.post("/api/face/enroll", RunningService.studentEnrollment(code, p[0]));

            assertThat(enrolled.status()).as(enrolled.body().toString()).isEqualTo(200);
            assertThat(enrolled.worker()).isEqualTo("worker-1");
            assertThat(laggingGallery().personCount()).as("worker-2 has not applied the enrollment of %s yet", code)
                    .isEqualTo(personsBefore);
            JsonNode recognized = recognizeOnLaggingWorker(p[1]);
            assertThat(recognized.path("match").path("person_code").asText()).as("recognition of %s", code)
                    .isEqualTo(code);
        }
    }

    @Test
    void aRecognitionOnALaggingWorkerNoLongerMatchesAPersonDeletedOnTheOther() throws Exception {
        String code = personCodeServedBy(writer, "D");
        assertThat(service.http.post("/api/face/enroll", RunningService.studentEnrollment(code, "jackie_chan/01.jpg"))
                .status()).isEqualTo(200);
        // Worker-2 learns of the enrollment in its own time, so that only the deletion depends on the read barrier.
        awaitLaggingWorkerCaughtUp();
        assertThat(recognizeOnLaggingWorker("jackie_chan/03.jpg").path("match").path("person_code").asText())
                .as("worker-2 recognizes %s before the delete", code).isEqualTo(code);
        int personsBefore = laggingGallery().personCount();
        Map<String, Object> delete = new LinkedHashMap<>();
        delete.put("person_type", "student");
        delete.put("person_code", code);

        Reply deleted = service.http.send("DELETE", "/api/face/delete", delete);

        assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
        assertThat(deleted.worker()).isEqualTo("worker-1");
        assertThat(laggingGallery().personCount()).as("worker-2 has not applied the deletion of %s yet", code)
                .isEqualTo(personsBefore);
        JsonNode recognized = recognizeOnLaggingWorker("jackie_chan/03.jpg");
        assertThat(recognized.path("match").isNull()).as("match after the delete: %s", recognized).isTrue();
    }

    private static Gallery laggingGallery() {
        return lagging.getBean(Gallery.class);
    }

    /** A recognition whose request id routes it to worker-2, answered there; its body. */
    private static JsonNode recognizeOnLaggingWorker(String photo) throws Exception {
        String requestId;
        do {
            requestId = "ryw-" + keys.incrementAndGet();
        } while (!owns(lagging, requestId));
        String body = Json.MAPPER.writeValueAsString(Map.of("image_base64", RunningService.base64(photo)));
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(service.base.resolve("/api/face/recognize"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json").header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Rollcall-Worker")).as("worker that answered request %s", requestId)
                .hasValue("worker-2");
        return Json.MAPPER.readTree(response.body());
    }

    /** A fresh student code, starting with {@code prefix}, whose enrollments and deletions go to {@code worker}. */
    private static String personCodeServedBy(ConfigurableApplicationContext worker, String prefix) {
        String code;
        do {
            code = prefix + keys.incrementAndGet();
        } while (!owns(worker, MessageKeys.person(PersonType.STUDENT, code)));
        return code;
    }

    /** Whether a request with this record key lands on {@code worker}: the producer's own choice of partition. */
    private static boolean owns(ConfigurableApplicationContext worker, String key) {
        int partition = BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), Topics.FACE_REQUESTS_PARTITIONS);
        return partitions(worker).contains(partition);
    }

    private static Set<Integer> partitions(ConfigurableApplicationContext worker) {
        var container = (ConcurrentMessageListenerContainer<?, ?>) worker.getBean("requestContainer");
        String topic = worker.getBean(Topics.class).faceRequests();
        return container.getAssignedPartitions().stream().filter(p -> p.topic().equals(topic))
                .map(TopicPartition::partition).collect(Collectors.toSet());
    }

    /** Until the consumer group has settled, requests may all go to one worker and routing them is guesswork. */
    private static void awaitPartitionsSplitBetweenBothWorkers() throws InterruptedException {
        Set<Integer> all = IntStream.range(0, Topics.FACE_REQUESTS_PARTITIONS).boxed().collect(Collectors.toSet());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Set<Integer> first = partitions(writer);
            Set<Integer> second = partitions(lagging);
            Set<Integer> union = new HashSet<>(first);
            union.addAll(second);
            if (!first.isEmpty() && !second.isEmpty() && union.equals(all) && first.size() + second.size() == all.size()) {
                return;
            }
            assertThat(System.nanoTime()).as("partitions split between both workers: %s and %s", first, second)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}

package io.rollcall.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.HttpLoad.Reply;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers share the request topic. Whichever worker enrolls or deletes, a recognition that starts after the
 * enroll or delete returned sees it, on whichever worker it lands.
 */
class ReadYourWritesTest {
    @TempDir
    static Path dir;
    static RunningService service;

    @BeforeAll
    static void start() {
        service = new RunningService(dir, 2, Map.of());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void everyRecognitionAfterAnEnrollOrDeleteSeesItOnEitherWorker() throws Exception {
        String[][] people = {
                {"S101", "angelina_jolie/01.jpg", "angelina_jolie/05.jpg"},
                {"S102", "kit_harington/04.jpg", "kit_harington/05.jpg"},
                {"S103", "tom_hanks/01.jpg", "tom_hanks/04.jpg"},
                {"S104", "scarlett_johansson/01.jpg", "scarlett_johansson/07.jpg"},
                {"S105", "elon_musk/01.jpg", "elon_musk/02.jpg"},
                {"S106", "jackie_chan/01.jpg", "jackie_chan/03.jpg"}};
        awaitBothWorkersServing();
        Set<String> recognizeWorkers = new HashSet<>();
        int crossWorker = 0;
        for (String[] p : people) {
            Reply enrolled = service.http.post("/api/face/enroll", RunningService.studentEnrollment(p[0], p[1]));
            assertThat(enrolled.status()).as(enrolled.body().toString()).isEqualTo(200);
            String enrolledBy = enrolled.worker();
            // Immediately, several recognitions: the request topic spreads them over both workers.
            for (int i = 0; i < 4; i++) {
                Reply r = service.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64(p[2])));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body().path("match").path("person_code").asText()).as("recognition %d of %s", i, p[0]).isEqualTo(p[0]);
                recognizeWorkers.add(r.worker());
                if (!r.worker().equals(enrolledBy)) {
                    crossWorker++;
                }
            }
        }
        Map<String, Object> delete = new LinkedHashMap<>();
        delete.put("person_type", "student");
        delete.put("person_code", "S103");
        assertThat(service.http.send("DELETE", "/api/face/delete", delete).status()).isEqualTo(200);
        for (int i = 0; i < 6; i++) {
            Reply r = service.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64("tom_hanks/04.jpg")));
            assertThat(r.body().path("match").isNull()).as("recognition %d after the delete", i).isTrue();
        }
        // Recognitions are spread by request id, so both workers served them, and many right after an enrollment
        // made by the other worker: exactly the case read-your-writes is about.
        assertThat(recognizeWorkers).containsExactlyInAnyOrder("worker-1", "worker-2");
        assertThat(crossWorker).isPositive();
    }

    /** Until the consumer group has given both workers partitions, requests may all go to one. */
    private static void awaitBothWorkersServing() throws Exception {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            seen.add(service.http.get("/api/face/list/all").worker());
        }
        assertThat(seen).containsExactlyInAnyOrder("worker-1", "worker-2");
    }


}

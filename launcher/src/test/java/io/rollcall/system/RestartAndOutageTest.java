package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.testing.DevData;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the service keeps across a restart, and what a database outage costs: delay, never data. */
class RestartAndOutageTest {
    @TempDir
    Path dir;

    @Test
    void enrolledFacesSurviveARestartAndTheGalleryIsRebuiltFromTheDatabase() throws Exception {
        try (RunningService first = new RunningService(dir, 1, Map.of())) {
            assertThat(first.http.post("/api/face/enroll", RunningService.studentEnrollment("S201", "kit_harington/04.jpg")).status()).isEqualTo(200);
            assertThat(first.http.post("/api/face/enroll", RunningService.studentEnrollment("S202", "tom_hanks/01.jpg")).status()).isEqualTo(200);
        }
        try (RunningService second = new RunningService(dir, 1, Map.of())) {
            assertThat(second.http.get("/api/health").body().path("enrolled_faces").asInt()).isEqualTo(2);
            assertThat(second.http.get("/api/face/list/student").body().path("total_count").asInt()).isEqualTo(2);
            Reply r = second.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64("kit_harington/05.jpg")));
            assertThat(r.body().path("match").path("person_code").asText()).isEqualTo("S201");
        }
    }

    @Test
    void recognitionLogsWrittenDuringADatabaseOutageArriveWhenItReturns() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path db = dir.resolve("h2");
        Server h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", db.toString(), "-ifNotExists").start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/rollcall";
        try (RunningService service = new RunningService(dir, 1, Map.of("DATABASE_URL", url))) {
            assertThat(service.http.post("/api/face/enroll", RunningService.studentEnrollment("S301", "angelina_jolie/01.jpg")).status()).isEqualTo(200);
            assertThat(service.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64("angelina_jolie/02.jpg"))).status()).isEqualTo(200);
            awaitLogRows(url, 1);

            h2.stop();
            // The database is gone; recognition runs from the in-memory gallery and its logs wait in Kafka.
            for (String photo : new String[] {"angelina_jolie/03.jpg", "angelina_jolie/04.jpg", "katy_perry/01.jpg"}) {
                Reply r = service.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64(photo)));
                assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            }
            Thread.sleep(2_000);

            h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", db.toString(), "-ifNotExists").start();
            awaitLogRows(url, 4);
            try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT COUNT(*), SUM(CASE WHEN Success THEN 1 ELSE 0 END) FROM FaceRecognitionLogs")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(4);
                assertThat(rs.getInt(2)).as("three of the four photos are of the enrolled student").isEqualTo(3);
            }
        } finally {
            h2.stop();
        }
    }

    @Test
    void aRecognitionRedeliveredAfterACrashWritesItsLogRowOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Server h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", dir.resolve("h2").toString(), "-ifNotExists").start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/rollcall";
        try (RunningService service = new RunningService(dir, 1, Map.of("DATABASE_URL", url))) {
            // What Kafka hands a worker again when the one before it died after replying but before committing.
            FaceRequest request = FaceRequest.newBuilder().setRequestId("redelivered-1").setClient("test")
                    .setReceivedAt(Instant.now()).setExpiresAt(Instant.now().plusSeconds(60))
                    .setCommand(RecognizeCommand.newBuilder()
                            .setImage(ByteBuffer.wrap(DevData.bytes("angelina_jolie/02.jpg"))).build())
                    .build();
            Topics topics = service.kafka().topics();
            long handledBefore = recognitionsHandled();
            try (KafkaProducer<String, FaceRequest> producer = new KafkaProducer<>(
                    service.kafka().clients().producer(), new StringSerializer(), new AvroSerializer<>(FaceRequest.class))) {
                for (int i = 0; i < 2; i++) {
                    producer.send(new ProducerRecord<>(topics.faceRequests(), request.getRequestId(), request)).get();
                }
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (recognitionsHandled() < handledBefore + 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(recognitionsHandled()).as("both deliveries handled").isEqualTo(handledBefore + 2);
            awaitLogRows(url, 1);
            // The log writer fetches about once a second: give a second row every chance to arrive.
            Thread.sleep(3_000);
            try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM FaceRecognitionLogs")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows for a request handled twice").isEqualTo(1);
            }
        } finally {
            h2.stop();
        }
    }

    private static long recognitionsHandled() {
        return Metrics.globalRegistry.find("rollcall.worker.requests").tag("command", "recognize").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    private static void awaitLogRows(String url, int expected) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        int rows = -1;
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(url);
                 ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM FaceRecognitionLogs")) {
                rs.next();
                rows = rs.getInt(1);
                if (rows >= expected) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                // The server may still be coming back.
            }
            Thread.sleep(250);
        }
        assertThat(rows).as("recognition log rows").isEqualTo(expected);
    }


}

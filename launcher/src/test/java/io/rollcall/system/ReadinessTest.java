package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.json.Json;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Readiness follows what serving needs: a worker ({@code ./rollcall worker}, health and metrics on its
 * {@code WORKER_PORT}) is ready while its model is loaded, its database answers and the broker takes its
 * heartbeats; the ingress is ready while some such worker reports. Both go down with the database and come back
 * with it. Metrics are the worker's own pool's, on the worker's management port.
 */
class ReadinessTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits up to {@code seconds} for {@code uri} to answer {@code status}; returns the last answer. */
    private static HttpResponse<String> await(URI uri, int status, int seconds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        HttpResponse<String> response = get(uri);
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(250);
            response = get(uri);
        }
        return response;
    }

    @Test
    void theWorkerAndTheIngressAreNotReadyWhileTheDatabaseIsDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path db = dir.resolve("h2");
        Server h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", db.toString(), "-ifNotExists").start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/rollcall";
        try (RunningService service = new RunningService(dir, 0, Map.of("DATABASE_URL", url))) {
            ConfigurableApplicationContext worker = service.startWorker("worker-web", true);
            URI workerManagement = URI.create("http://127.0.0.1:" + worker.getEnvironment().getProperty("local.server.port"));
            URI workerReadiness = workerManagement.resolve("/actuator/health/readiness");
            URI ingressReadiness = service.management.resolve("/actuator/health/readiness");

            HttpResponse<String> workerReady = await(workerReadiness, 200, 30);
            HttpResponse<String> ingressReady = await(ingressReadiness, 200, 30);
            HttpResponse<String> metrics = get(workerManagement.resolve("/actuator/prometheus"));

            assertThat(workerReady.statusCode()).as(workerReady.body()).isEqualTo(200);
            assertThat(ingressReady.statusCode()).as(ingressReady.body()).isEqualTo(200);
            assertThat(metrics.body()).contains("hikaricp_connections_active{pool=\"rollcall-db\"}")
                    .contains("rollcall_gallery_faces");
            assertThat(get(workerManagement.resolve("/actuator/info")).statusCode()).isEqualTo(404);

            h2.stop();

            HttpResponse<String> workerDown = await(workerReadiness, 503, 30);
            HttpResponse<String> ingressDown = await(ingressReadiness, 503, 40);
            assertThat(workerDown.statusCode()).as(workerDown.body()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(workerDown.body()).at("/components/worker/details/database").asBoolean()).isFalse();
            assertThat(Json.MAPPER.readTree(workerDown.body()).at("/components/worker/details/model_loaded").asBoolean()).isTrue();
            assertThat(ingressDown.statusCode()).as(ingressDown.body()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(ingressDown.body()).at("/components/workers/details/reason").asString())
                    .isEqualTo("no worker with its model loaded reaches its database");

            h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", db.toString(), "-ifNotExists").start();

            assertThat(await(workerReadiness, 200, 30).statusCode()).isEqualTo(200);
            assertThat(await(ingressReadiness, 200, 40).statusCode()).isEqualTo(200);
        } finally {
            h2.stop();
        }
    }
}

package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.FakeWorkerRoster;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.gateway.WorkerRoster.WorkerState;
import io.rollcall.json.Json;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Health probes and Prometheus metrics are served on {@code MANAGEMENT_PORT} alone, and readiness follows the
 * workers: ready while one with its model loaded and its database reachable has reported.
 */
class ManagementPortHttpTest extends IngressHttpTest {

    @LocalManagementPort
    int managementPort;

    @LocalServerPort
    int apiPort;

    @Autowired
    FakeWorkerRoster roster;

    @BeforeEach
    @AfterEach
    void noWorkers() {
        roster.reset();
    }

    private HttpAnswer management(String path) {
        return send(request(path).uri(URI.create("http://127.0.0.1:" + managementPort + path)).GET());
    }

    private static WorkerState worker(String id, boolean modelLoaded, boolean databaseOk) {
        return new WorkerState(id, Instant.now(), "buffalo_l", modelLoaded, databaseOk, 3, 7L, null, 0, null, null);
    }

    @Test
    void theManagementPortIsNotTheApiPort() {
        assertThat(managementPort).isPositive().isNotEqualTo(apiPort);
    }

    @Test
    void prometheusIsServedOnTheManagementPortOnly() {
        postJson("/api/face/recognize", "{}");

        HttpAnswer metrics = management("/actuator/prometheus");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("rollcall_http_errors_total{code=\"VALIDATION_ERROR\"}")
                .contains("rollcall_http_inflight_request_bytes");
        get("/actuator/prometheus").assertError(404, ErrorCode.NOT_FOUND);
        get("/actuator/health").assertError(404, ErrorCode.NOT_FOUND);
    }

    @Test
    void onlyHealthAndPrometheusAreExposed() {
        assertThat(management("/actuator/info").status()).isEqualTo(404);
        assertThat(management("/actuator/env").status()).isEqualTo(404);
        assertThat(management("/actuator/beans").status()).isEqualTo(404);
    }

    @Test
    void withoutAWorkerTheIngressIsAliveButNotReady() {
        HttpAnswer readiness = management("/actuator/health/readiness");
        HttpAnswer liveness = management("/actuator/health/liveness");

        assertThat(readiness.status()).isEqualTo(503);
        JsonNode body = Json.MAPPER.readTree(readiness.body());
        assertThat(body.get("status").asString()).isEqualTo("DOWN");
        assertThat(body.at("/components/workers/details/reason").asString())
                .isEqualTo("no worker has reported in the last 30 s (none is running, or the Kafka broker cannot be reached)");
        assertThat(liveness.status()).isEqualTo(200);
    }

    @Test
    void aWorkerWithItsModelAndDatabaseMakesItReady() {
        roster.report(worker("worker-a", false, true));
        roster.report(worker("worker-b", true, true));

        HttpAnswer readiness = management("/actuator/health/readiness");

        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(readiness.body());
        assertThat(body.get("status").asString()).isEqualTo("UP");
        assertThat(body.at("/components/workers/details/ready_workers").toString()).isEqualTo("[\"worker-b\"]");
    }

    @Test
    void workersWithoutTheirModelMakeItNotReady() {
        roster.report(worker("worker-a", false, true));

        HttpAnswer readiness = management("/actuator/health/readiness");

        assertThat(readiness.status()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(readiness.body()).at("/components/workers/details/reason").asString())
                .isEqualTo("no worker has its model loaded");
    }

    @Test
    void workersWithoutTheirDatabaseMakeItNotReady() {
        roster.report(worker("worker-a", true, false));

        HttpAnswer readiness = management("/actuator/health/readiness");

        assertThat(readiness.status()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(readiness.body()).at("/components/workers/details/reason").asString())
                .isEqualTo("no worker with its model loaded reaches its database");
    }
}

package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rollcall.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's pool reports on Micrometer's global registry, which every Prometheus endpoint of the process reads:
 * Spring Boot's own binder cannot reach a pool that is already open, as the worker's is once migrated.
 */
class DatabaseMetricsTest {

    @Test
    void thePoolsConnectionsAreMeasuredUnderItsName(@TempDir Path dataDir) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try (Database database = Database.open(WorkerConfig.from(Map.of("DATA_DIR", dataDir.toString(),
                "DATABASE_POOL_SIZE", "4"), null).store())) {
            new FaceRepository(database.access()).countSamples(io.rollcall.person.PersonRef.student("S001"));

            assertThat(registry.get("hikaricp.connections.max").tag("pool", "rollcall-db").gauge().value()).isEqualTo(4);
            assertThat(registry.get("hikaricp.connections.acquire").tag("pool", "rollcall-db").timer().count()).isPositive();
        } finally {
            Metrics.removeRegistry(registry);
        }
    }
}

package io.rollcall.health;

import java.time.Instant;
import java.util.function.Predicate;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A worker's readiness ({@code /actuator/health/readiness} on {@code WORKER_PORT}): up while its model is loaded,
 * its database answers (and its gallery is in step with it), and the Kafka broker acknowledges its heartbeats. An
 * orchestrator then restarts or reports a worker that cannot serve, instead of counting it as capacity.
 */
public final class WorkerReadiness implements HealthIndicator {
    private final WorkerHealth health;
    private final Predicate<Instant> brokerReachable;

    /** @param brokerReachable whether the broker acknowledged this worker recently, as of the given instant */
    public WorkerReadiness(WorkerHealth health, Predicate<Instant> brokerReachable) {
        this.health = health;
        this.brokerReachable = brokerReachable;
    }

    @Override
    public Health health() {
        WorkerHealth.Status status = health.status();
        boolean broker = brokerReachable.test(Instant.now());
        Health.Builder builder = status.modelLoaded() && status.databaseOk() && broker ? Health.up() : Health.down();
        builder.withDetail("model_pack", status.modelPack())
                .withDetail("model_loaded", status.modelLoaded())
                .withDetail("database", status.databaseOk())
                .withDetail("kafka", broker);
        if (status.modelError() != null) {
            builder.withDetail("model_error", status.modelError());
        }
        return builder.build();
    }
}

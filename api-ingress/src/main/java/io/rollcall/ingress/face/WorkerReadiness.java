package io.rollcall.ingress.face;

import io.rollcall.ingress.gateway.WorkerRoster;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The ingress's readiness ({@code /actuator/health/readiness} on {@code MANAGEMENT_PORT}): up while at least one
 * worker with its model loaded and its database reachable has reported within the last 30 s
 * ({@link WorkerRoster}). Heartbeats travel through Kafka, so a broker the ingress cannot read makes it not ready
 * as well. A load balancer then sends callers to an ingress that can serve them rather than one that answers 503.
 */
@Component(WorkerReadiness.NAME)
public final class WorkerReadiness implements HealthIndicator {
    /** The indicator's name in the health groups. */
    public static final String NAME = "workers";

    private final WorkerRoster roster;

    public WorkerReadiness(WorkerRoster roster) {
        this.roster = roster;
    }

    @Override
    public Health health() {
        List<WorkerRoster.WorkerState> workers = roster.current(Instant.now());
        List<String> ready = workers.stream().filter(w -> w.modelLoaded() && w.databaseOk())
                .map(WorkerRoster.WorkerState::workerId).toList();
        Health.Builder health = ready.isEmpty() ? Health.down().withDetail("reason", reason(workers)) : Health.up();
        return health.withDetail("ready_workers", ready)
                .withDetail("reporting_workers", workers.stream().map(WorkerRoster.WorkerState::workerId).toList())
                .build();
    }

    private static String reason(List<WorkerRoster.WorkerState> workers) {
        if (workers.isEmpty()) {
            return "no worker has reported in the last 30 s (none is running, or the Kafka broker cannot be reached)";
        }
        return workers.stream().noneMatch(WorkerRoster.WorkerState::modelLoaded)
                ? "no worker has its model loaded" : "no worker with its model loaded reaches its database";
    }
}

package io.rollcall.ingress;

import io.rollcall.ingress.gateway.WorkerRoster;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The workers the ingress's tests say have reported. */
public final class FakeWorkerRoster implements WorkerRoster {
    private final List<WorkerState> workers = new CopyOnWriteArrayList<>();

    public void report(WorkerState worker) {
        workers.add(worker);
    }

    public void reset() {
        workers.clear();
    }

    @Override
    public List<WorkerState> current(Instant now) {
        return List.copyOf(workers);
    }
}

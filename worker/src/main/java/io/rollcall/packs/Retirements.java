package io.rollcall.packs;

import io.rollcall.inference.PackRuntime;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runtimes a worker no longer serves with (the pack switched away from, a dropped candidate), closed a while later
 * rather than at once: requests that took the runtime at their start finish on it, and none fails.
 */
final class Retirements implements AutoCloseable {
    /** Longer than any request may run (REQUEST_TIMEOUT_MS is 30 s by default): then nothing uses the old pack. */
    static final Duration RETIRE_AFTER = Duration.ofSeconds(60);

    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("pack-retire").daemon().factory());

    void retire(PackRuntime old) {
        closer.schedule(old::close, RETIRE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes every runtime still waiting, now. */
    @Override
    public void close() {
        for (Runnable pending : closer.shutdownNow()) {
            pending.run();
        }
    }
}

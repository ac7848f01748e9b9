package io.rollcall.packs;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.health.WorkerHealth;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.PackRuntime;
import io.rollcall.storage.PackSettings;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The candidate pack loaded on this worker beside the active one: its runtime (or why it failed to load), its run
 * and whether recognitions are shadowed on it.
 *
 * <p>Its monitor is also {@link PackLifecycle}'s lock: commands take it around their database steps, and the log's
 * thread takes it to load or drop the candidate, so the two never interleave. Reads from requests (the runtime, the
 * shadow) take no lock: the fields are volatile.
 */
final class CandidatePack {
    private static final Logger log = LoggerFactory.getLogger(CandidatePack.class);

    private final ActivePack active;
    private final Function<String, PackRuntime> opener;
    private final PackSettings settings;
    private final WorkerHealth health;
    private final Retirements retirements;
    private volatile PackRuntime runtime;
    private volatile String failure;
    private volatile String name;
    private volatile String runId;
    private volatile boolean shadowMode;
    /** Whether the candidate's job has completed, as last read from the database, and when that was. */
    private volatile boolean complete;
    private volatile long completeCheckedAt;

    CandidatePack(ActivePack active, Function<String, PackRuntime> opener, PackSettings settings, WorkerHealth health,
                  Retirements retirements) {
        this.active = active;
        this.opener = opener;
        this.settings = settings;
        this.health = health;
        this.retirements = retirements;
        health.candidate(() -> name == null ? null
                : new WorkerHealth.CandidateState(name, failure == null ? "loaded" : failure));
    }

    /** The loaded candidate's runtime, or null. */
    PackRuntime runtime() {
        return runtime;
    }

    String name() {
        return name;
    }

    /** Why the candidate named {@link #name} did not load, or null when it did. */
    String failure() {
        return failure;
    }

    String runId() {
        return runId;
    }

    void shadowMode(boolean shadow) {
        shadowMode = shadow;
    }

    /** Loads {@code pack} as the candidate of {@code run}, dropping any other; a failure is kept, not thrown. */
    synchronized void load(String pack, String run) {
        drop();
        complete = false;
        completeCheckedAt = 0;
        name = pack;
        runId = run;
        try {
            runtime = opener.apply(pack);
            runtime.engines().engine();
            failure = null;
            health.changed();
            log.info("Candidate pack {} loaded beside {} ({} samples of it so far)", pack, active.current().name(),
                    runtime.sync().gallery().size());
        } catch (RuntimeException e) {
            failure = e.getMessage();
            health.changed();
            log.error("Candidate pack {} not loaded: {}", pack, e.getMessage());
        }
    }

    /**
     * Forgets the candidate; its runtime is retired, not closed at once. Takes no lock: the log's thread calls it
     * while a command holding the lock waits for that very step ({@code abandon}).
     */
    void drop() {
        PackRuntime c = takeRuntime();
        if (c != null) {
            retirements.retire(c);
            health.changed();
        }
    }

    /** Hands the runtime over (to become the active pack, or to be closed) and forgets the candidate. */
    PackRuntime takeRuntime() {
        PackRuntime c = runtime;
        runtime = null;
        name = null;
        failure = null;
        return c;
    }

    PackRuntime requireLoaded(String pack) {
        PackRuntime c = runtime;
        if (c == null || !c.name().equals(pack)) {
            throw new RollcallException(ErrorCode.PACK_SWITCH_REFUSED,
                    "Candidate " + pack + " is not loaded on this worker: " + failure, Map.of("pack", pack));
        }
        return c;
    }

    /**
     * The candidate to shadow recognitions on; empty without one, when it was not switched to in shadow mode, or
     * before its embedding job has completed: until then its gallery lacks samples, and every recognition of a person
     * not embedded yet would count as a disagreement that says nothing about the pack.
     */
    Optional<PackLifecycle.Shadow> shadow() {
        PackRuntime c = runtime;
        String run = runId;
        if (c == null || !shadowMode || run == null || !jobComplete()) {
            return Optional.empty();
        }
        return Optional.of(new PackLifecycle.Shadow(c, run));
    }

    /** Read from the database at most once a second: a recognition must not wait for it. */
    private boolean jobComplete() {
        if (complete) {
            return true;
        }
        long now = System.nanoTime();
        if (now - completeCheckedAt > 1_000_000_000L) {
            completeCheckedAt = now;
            try {
                String job = settings.state().job();
                complete = job != null && job.startsWith("completed");
            } catch (RuntimeException e) {
                return false; // the database is down: no shadow for now
            }
        }
        return complete;
    }
}

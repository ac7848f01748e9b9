package io.rollcall.packs;

import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.gallery.GalleryFeed;
import io.rollcall.gallery.PackEvent;
import io.rollcall.health.WorkerHealth;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.PackRuntime;
import io.rollcall.person.PersonRef;
import io.rollcall.reembed.EnginePhotoEmbedder;
import io.rollcall.storage.DescriptorRepository;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.PackDescriptorRepository;
import io.rollcall.storage.PackSettings;
import io.rollcall.storage.ShadowOutcomeRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's part in a model-pack change: candidate, embedding job, commit, abandon, purge.
 *
 * <p>The state lives in the database ({@link PackSettings}); its steps travel on the gallery log as
 * {@link PackEvent}s, so that every worker takes each at the same point of the gallery's history. A candidate is
 * loaded beside the active pack with a gallery of its own, which follows the log like the active one: the job's
 * descriptors and those of enrollments made meanwhile ({@link #enrolled}) reach every worker's candidate gallery. A
 * commit is published after every one of them, so a worker that reaches it first waits until its candidate gallery
 * holds everything before it, then serves with the candidate: requests already running finish on the old pack,
 * which is closed {@link #RETIRE_AFTER} later, and none fails.
 *
 * <p>The job runs on the worker that took the switch, one sample at a time, taking only samples the candidate does
 * not cover yet, so it resumes where it stopped: after a restart of that worker, or when the switch is asked again.
 */
public final class PackLifecycle implements GalleryFeed.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PackLifecycle.class);
    /** Longer than any request may run (REQUEST_TIMEOUT_MS is 30 s by default): then nothing uses the old pack. */
    static final Duration RETIRE_AFTER = Duration.ofSeconds(60);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final int PAGE = 100;

    private final ActivePack active;
    private final Function<String, ModelPack> catalog;
    private final Function<String, PackRuntime> opener;
    private final GalleryFeed feed;
    private final PackSettings settings;
    private final PackDescriptorRepository descriptors;
    private final ShadowOutcomeRepository shadows;
    private final DescriptorRepository photos;
    private final FaceRepository faces;
    private final ImageDecoder decoder;
    private final String workerId;
    private final WorkerHealth health;
    private final ScheduledExecutorService retirements = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("pack-retire").daemon().factory());
    private final Object lock = new Object();
    private volatile PackRuntime candidate;
    private volatile String candidateFailure;
    private volatile String candidateName;
    private volatile String runId;
    private volatile boolean shadowMode;
    /** Whether the candidate's job has completed, as last read from the database, and when that was. */
    private volatile boolean candidateComplete;
    private volatile long completeCheckedAt;
    private volatile Thread job;
    private volatile long appliedPosition = -1;

    public PackLifecycle(ActivePack active, Function<String, ModelPack> catalog, Function<String, PackRuntime> opener,
                         GalleryFeed feed, PackSettings settings, PackDescriptorRepository descriptors, ShadowOutcomeRepository shadows,
                         DescriptorRepository photos, FaceRepository faces, ImageDecoder decoder, String workerId,
                         WorkerHealth health) {
        this.active = active;
        this.catalog = catalog;
        this.opener = opener;
        this.feed = feed;
        this.settings = settings;
        this.descriptors = descriptors;
        this.shadows = shadows;
        this.photos = photos;
        this.faces = faces;
        this.decoder = decoder;
        this.workerId = workerId;
        this.health = health;
        long start = feed.end();
        // After noting the log's end: a step published since is both in this state and replayed (harmlessly).
        PackSettings.State state = settings.state();
        state.active().filter(pack -> !pack.equals(active.current().name())).ifPresent(pack -> retire(active.switchTo(opener.apply(pack))));
        state.candidate().ifPresent(pack -> {
            loadCandidate(pack, state.runId());
            shadowMode = state.shadow();
            if (("running on " + workerId).equals(state.job())) {
                startJob();
            }
        });
        health.candidate(() -> candidateName == null ? null
                : new WorkerHealth.CandidateState(candidateName, candidateFailure == null ? "loaded" : candidateFailure));
        active.secondary(this::enrolled);
        feed.follow(start, this);
    }

    // ---- commands (from the worker that took the request) ----

    public PackStatus status() {
        return status("");
    }

    /**
     * Loads {@code pack} as the candidate on every worker and starts embedding every sample with it. Asked again for
     * the same candidate, it resumes the job.
     */
    public PackStatus switchTo(String pack, boolean shadow, String origin) {
        synchronized (lock) {
            PackSettings.State state = settings.state();
            ModelPack wanted = catalog.apply(pack);
            if (wanted.name().equals(active.current().name())) {
                throw refused(pack + " is already the active pack", Map.of("pack", pack));
            }
            if (state.candidate().isPresent() && !state.candidate().get().equals(pack)) {
                throw refused("Pack " + state.candidate().get() + " is the candidate already; commit or abandon it first",
                        Map.of("candidate_pack", state.candidate().get()));
            }
            if (state.candidate().isEmpty()) {
                MemoryCheck.requireRoomFor(wanted, active.current().sync().gallery().size());
                String run = UUID.randomUUID().toString();
                // Loaded here first: a pack that cannot load is refused before anything is written or published.
                loadCandidate(pack, run);
                if (candidateFailure != null) {
                    String why = candidateFailure;
                    dropCandidate();
                    throw new RollcallException(ErrorCode.MODEL_NOT_LOADED, "Pack " + pack + " could not be loaded: " + why,
                            Map.of("pack", pack));
                }
                settings.startCandidate(pack, run, shadow);
                shadowMode = shadow;
                feed.publish(new PackEvent(PackEvent.Kind.CANDIDATE, pack, origin));
            }
            settings.jobState("running on " + workerId);
            startJob();
            return status(state.candidate().isPresent() ? "Resumed embedding the samples with candidate " + pack
                    : "Candidate " + pack + " loaded; embedding every sample with it");
        }
    }

    /** Makes the candidate the active pack on every worker, once it covers every sample. */
    public PackStatus commit(String origin) {
        String pack;
        long position;
        PackDescriptorRepository.Coverage coverage;
        synchronized (lock) {
            PackSettings.State state = settings.state();
            pack = state.candidate().orElseThrow(() -> refused("There is no candidate pack to commit", Map.of()));
            PackRuntime c = requireLoadedCandidate(pack);
            coverage = descriptors.coverage(pack, c.pack().embeddingDim());
            if (state.job() == null || !state.job().startsWith("completed")) {
                throw refused("Candidate " + pack + " covers " + coverage.covered() + " of " + coverage.samples()
                        + " samples and its embedding job has not completed (" + state.job()
                        + "); wait for it, or ask the switch again to resume it",
                        Map.of("samples", coverage.samples(), "covered", coverage.covered(), "job", String.valueOf(state.job())));
            }
            stopJob();
            settings.commit(pack);
            position = feed.publish(new PackEvent(PackEvent.Kind.COMMITTED, pack, origin));
        }
        awaitApplied(position);
        return status("Pack " + pack + " is now the active pack on every worker" + (coverage.missing() == 0 ? ""
                : "; " + coverage.missing() + " sample(s) it could not embed (no photo, or no usable face in it) are not"
                + " recognised until re-enrolled"));
    }

    /** Drops the candidate on every worker and deletes the descriptors its run wrote. */
    public PackStatus abandon(String origin) {
        synchronized (lock) {
            PackSettings.State state = settings.state();
            String pack = state.candidate().orElseThrow(() -> refused("There is no candidate pack to abandon", Map.of()));
            stopJob();
            settings.abandon();
            long position = feed.publish(new PackEvent(PackEvent.Kind.ABANDONED, pack, origin));
            awaitApplied(position);
            int deleted = state.runId() == null ? 0 : descriptors.deleteRun(state.runId());
            if (state.runId() != null) {
                shadows.deleteRun(state.runId());
            }
            log.info("Candidate pack {} abandoned; {} descriptor(s) it wrote deleted", pack, deleted);
            return status("Candidate " + pack + " abandoned; " + deleted + " descriptor(s) it wrote deleted");
        }
    }

    /** Deletes the kept descriptors of a pack that is neither active nor the candidate. */
    public PackStatus purge(String pack) {
        synchronized (lock) {
            PackSettings.State state = settings.state();
            ModelPack purged = catalog.apply(pack);
            if (pack.equals(active.current().name()) || state.candidate().filter(pack::equals).isPresent()) {
                throw refused("Pack " + pack + " is in use (active or candidate); only another pack's descriptors can be purged",
                        Map.of("pack", pack));
            }
            PackDescriptorRepository.Purge done = descriptors.purge(pack, purged.embeddingDim(), active.current().name());
            PackStatus s = status("Descriptors of " + pack + " purged: " + done.deleted() + " deleted, "
                    + done.movedIntoFaceData() + " samples now hold the active pack's descriptor in FaceData");
            return new PackStatus(s.activePack(), s.candidatePack(), s.shadow(), s.samples(), s.candidateCovered(), s.job(),
                    s.message(), done.movedIntoFaceData(), done.deleted());
        }
    }

    /** A shadow candidate loaded here, and its run. */
    public record Shadow(PackRuntime candidate, String runId) {
    }

    /**
     * The candidate to shadow recognitions on; empty without one, when it was not switched to in shadow mode, or
     * before its embedding job has completed: until then its gallery lacks samples, and every recognition of a person
     * not embedded yet would count as a disagreement that says nothing about the pack.
     */
    public Optional<Shadow> shadow() {
        PackRuntime c = candidate;
        String run = runId;
        if (c == null || !shadowMode || run == null || !candidateComplete()) {
            return Optional.empty();
        }
        return Optional.of(new Shadow(c, run));
    }

    /** Read from the database at most once a second: a recognition must not wait for it. */
    private boolean candidateComplete() {
        if (candidateComplete) {
            return true;
        }
        long now = System.nanoTime();
        if (now - completeCheckedAt > 1_000_000_000L) {
            completeCheckedAt = now;
            try {
                String job = settings.state().job();
                candidateComplete = job != null && job.startsWith("completed");
            } catch (RuntimeException e) {
                return false; // the database is down: no shadow for now
            }
        }
        return candidateComplete;
    }

    /**
     * The shadow candidate against the active pack, on every worker's recognitions since the candidate's run began.
     *
     * @throws RollcallException {@code PACK_SWITCH_REFUSED} without a candidate in shadow mode
     */
    public ShadowOutcomeRepository.Comparison comparison() {
        PackSettings.State state = settings.state();
        if (state.candidate().isEmpty() || !state.shadow() || state.runId() == null) {
            throw refused("There is no candidate in shadow mode to compare; switch with mode shadow first",
                    Map.of("candidate_pack", state.candidate().orElse("")));
        }
        return shadows.comparison(state.runId());
    }

    private PackStatus status(String message) {
        PackSettings.State state = settings.state();
        PackRuntime current = active.current();
        long covered = 0;
        long samples;
        if (state.candidate().isPresent()) {
            PackDescriptorRepository.Coverage c = descriptors.coverage(state.candidate().get(),
                    catalog.apply(state.candidate().get()).embeddingDim());
            samples = c.samples();
            covered = c.covered();
        } else {
            samples = descriptors.coverage(current.name(), current.pack().embeddingDim()).samples();
        }
        return new PackStatus(current.name(), state.candidate().orElse(null), state.shadow(), samples, covered,
                state.candidate().isPresent() ? state.job() : null, message, 0, 0);
    }

    private static RollcallException refused(String message, Map<String, Object> details) {
        return new RollcallException(ErrorCode.PACK_SWITCH_REFUSED, message, details);
    }

    private PackRuntime requireLoadedCandidate(String pack) {
        PackRuntime c = candidate;
        if (c == null || !c.name().equals(pack)) {
            throw refused("Candidate " + pack + " is not loaded on this worker: " + candidateFailure, Map.of("pack", pack));
        }
        return c;
    }

    /** Waits until this worker has taken the step at {@code position}, so that the reply is true of it too. */
    private void awaitApplied(long position) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        synchronized (this) {
            while (appliedPosition < position && System.nanoTime() < deadline) {
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ---- the log (every worker) ----

    @Override
    public void applied(GalleryEvent event, long position) {
        // The galleries follow these themselves.
    }

    @Override
    public void packChanged(PackEvent event, long position) {
        try {
            switch (event.kind()) {
                case CANDIDATE -> {
                    if (candidateName == null || !candidateName.equals(event.pack())) {
                        PackSettings.State state = settings.state();
                        loadCandidate(event.pack(), state.runId());
                        shadowMode = state.shadow();
                    }
                }
                case COMMITTED -> switchToCandidate(event.pack(), position);
                case ABANDONED -> {
                    stopJob();
                    dropCandidate();
                }
            }
        } catch (RuntimeException e) {
            log.error("Pack change {} {} could not be applied on this worker", event.kind(), event.pack(), e);
        } finally {
            synchronized (this) {
                appliedPosition = position;
                notifyAll();
            }
        }
    }

    @Override
    public void stopped(RuntimeException failure) {
        log.error("Pack changes are no longer followed; a switch reaches this worker at its restart", failure);
    }

    /** Serves with the candidate from now on, once its gallery holds every descriptor published before the commit. */
    private void switchToCandidate(String pack, long position) {
        PackRuntime next = candidate;
        if (next == null || !next.name().equals(pack)) {
            // Not loaded here (it failed, or the worker started meanwhile): load it now, from the database, whole.
            next = opener.apply(pack);
        } else {
            next.sync().awaitApplied(position, CATCH_UP);
        }
        candidate = null;
        candidateName = null;
        candidateFailure = null;
        PackRuntime previous = active.switchTo(next);
        health.changed();
        log.info("Switched from pack {} to {} at gallery position {}", previous.name(), pack, position);
        retire(previous);
    }

    private void retire(PackRuntime old) {
        retirements.schedule(old::close, RETIRE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loadCandidate(String pack, String run) {
        synchronized (lock) {
            dropCandidate();
            candidateComplete = false;
            completeCheckedAt = 0;
            candidateName = pack;
            runId = run;
            try {
                candidate = opener.apply(pack);
                candidate.engines().engine();
                candidateFailure = null;
                health.changed();
                log.info("Candidate pack {} loaded beside {} ({} samples of it so far)", pack, active.current().name(),
                        candidate.sync().gallery().size());
            } catch (RuntimeException e) {
                candidateFailure = e.getMessage();
                health.changed();
                log.error("Candidate pack {} not loaded: {}", pack, e.getMessage());
            }
        }
    }

    private void dropCandidate() {
        PackRuntime c = candidate;
        candidate = null;
        candidateName = null;
        candidateFailure = null;
        if (c != null) {
            retire(c);
            health.changed();
        }
    }

    // ---- enrollments made during the switch (every worker) ----

    /** Embeds a sample just enrolled with the active pack with the candidate too, when one is loaded here. */
    private void enrolled(long sampleId, PersonRef person, String name, byte[] image, String origin) {
        PackRuntime c = candidate;
        String run = runId;
        if (c == null || run == null) {
            return;
        }
        try {
            embed(c, run, sampleId, person, name, image, origin);
        } catch (RuntimeException e) {
            // The sample stays uncovered: the commit refuses until the job (asked again) has covered it.
            log.warn("Sample {} not embedded with candidate {}: {}", sampleId, c.name(), e.getMessage());
        }
    }

    private void embed(PackRuntime c, String run, long sampleId, PersonRef person, String name, byte[] image, String origin) {
        float[] embedding = new EnginePhotoEmbedder(c.engines().engine(), decoder).embed(image);
        if (descriptors.put(sampleId, new FaceDescriptor(c.name(), embedding), run)) {
            c.sync().announce(new GalleryEvent.SampleAdded(sampleId, person, name, c.name(), embedding, origin));
        }
    }

    // ---- the embedding job (the worker that took the switch) ----

    private void startJob() {
        synchronized (lock) {
            Thread running = job;
            if (running != null && running.isAlive()) {
                return;
            }
            // Assigned before it starts: a job with nothing to do (switching back) finishes at once, and marks itself
            // completed only while it is still this worker's job.
            Thread next = Thread.ofPlatform().name("candidate-embedding").daemon().unstarted(this::runJob);
            job = next;
            next.start();
        }
    }

    private void stopJob() {
        Thread running = job;
        job = null;
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
            try {
                running.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runJob() {
        PackRuntime c = candidate;
        String run = runId;
        if (c == null || run == null) {
            return;
        }
        int dim = c.pack().embeddingDim();
        int embedded = 0;
        int skipped = 0;
        try {
            long after = 0;
            while (!Thread.currentThread().isInterrupted()) {
                List<Long> page = descriptors.missing(c.name(), dim, after, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                for (long id : page) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    after = id;
                    Optional<byte[]> photo = photos.image(id);
                    Optional<PersonRef> owner = photo.isEmpty() ? Optional.empty() : faces.owner(id);
                    if (photo.isEmpty() || owner.isEmpty()) {
                        skipped++;
                        continue;
                    }
                    try {
                        embed(c, run, id, owner.get(), null, photo.get(), "candidate-job:" + run);
                        embedded++;
                    } catch (RollcallException e) {
                        if (e.code() == ErrorCode.DATABASE_ERROR || e.code() == ErrorCode.SERVICE_UNAVAILABLE
                                || e.code() == ErrorCode.MODEL_NOT_LOADED) {
                            throw e;
                        }
                        skipped++;
                        log.warn("Sample {} cannot be embedded with candidate {}: {}", id, c.name(), e.code());
                    }
                }
            }
            if (!Thread.currentThread().isInterrupted() && job == Thread.currentThread()) {
                settings.jobState(skipped == 0 ? "completed" : "completed; " + skipped
                        + " sample(s) without a usable photo for " + c.name() + " (re-enroll them)");
                log.info("Candidate {} embedded {} sample(s), {} skipped", c.name(), embedded, skipped);
            }
        } catch (RuntimeException e) {
            log.error("Candidate embedding job stopped", e);
            settings.jobState("failed: " + e.getMessage());
        }
    }

    /** Closes every runtime this worker holds: the active one, the candidate, and those waiting to be retired. */
    @Override
    public void close() {
        stopJob();
        feed.close();
        PackRuntime c = candidate;
        candidate = null;
        for (Runnable pending : retirements.shutdownNow()) {
            pending.run();
        }
        if (c != null) {
            c.close();
        }
        active.current().close();
    }
}

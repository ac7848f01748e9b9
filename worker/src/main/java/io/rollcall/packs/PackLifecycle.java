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
import io.rollcall.storage.DescriptorRepository;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.PackDescriptorRepository;
import io.rollcall.storage.PackSettings;
import io.rollcall.storage.ShadowOutcomeRepository;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
 * which is closed {@link Retirements#RETIRE_AFTER} later, and none fails.
 *
 * <p>The candidate loaded here is a {@link CandidatePack}; the embedding job, on the worker that took the switch,
 * is {@link CandidateEmbedding}.
 */
public final class PackLifecycle implements GalleryFeed.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PackLifecycle.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final ActivePack active;
    private final Function<String, ModelPack> catalog;
    private final Function<String, PackRuntime> opener;
    private final GalleryFeed feed;
    private final PackSettings settings;
    private final PackDescriptorRepository descriptors;
    private final ShadowOutcomeRepository shadows;
    private final String workerId;
    private final WorkerHealth health;
    private final Retirements retirements = new Retirements();
    /** Also the lock of the commands (see {@link CandidatePack}). */
    private final CandidatePack candidate;
    private final CandidateEmbedding embedding;
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
        this.workerId = workerId;
        this.health = health;
        this.candidate = new CandidatePack(active, opener, settings, health, retirements);
        this.embedding = new CandidateEmbedding(candidate, settings, descriptors, photos, faces, decoder);
        long start = feed.end();
        // After noting the log's end: a step published since is both in this state and replayed (harmlessly).
        PackSettings.State state = settings.state();
        state.active().filter(pack -> !pack.equals(active.current().name()))
                .ifPresent(pack -> retirements.retire(active.switchTo(opener.apply(pack))));
        state.candidate().ifPresent(pack -> {
            candidate.load(pack, state.runId());
            candidate.shadowMode(state.shadow());
            if (("running on " + workerId).equals(state.job())) {
                embedding.start();
            }
        });
        active.secondary(embedding::enrolled);
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
        synchronized (candidate) {
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
                candidate.load(pack, run);
                if (candidate.failure() != null) {
                    String why = candidate.failure();
                    candidate.drop();
                    throw new RollcallException(ErrorCode.MODEL_NOT_LOADED, "Pack " + pack + " could not be loaded: " + why,
                            Map.of("pack", pack));
                }
                settings.startCandidate(pack, run, shadow);
                candidate.shadowMode(shadow);
                feed.publish(new PackEvent(PackEvent.Kind.CANDIDATE, pack, origin));
            }
            settings.jobState("running on " + workerId);
            embedding.start();
            return status(state.candidate().isPresent() ? "Resumed embedding the samples with candidate " + pack
                    : "Candidate " + pack + " loaded; embedding every sample with it");
        }
    }

    /** Makes the candidate the active pack on every worker, once it covers every sample. */
    public PackStatus commit(String origin) {
        String pack;
        long position;
        PackDescriptorRepository.Coverage coverage;
        synchronized (candidate) {
            PackSettings.State state = settings.state();
            pack = state.candidate().orElseThrow(() -> refused("There is no candidate pack to commit", Map.of()));
            PackRuntime c = candidate.requireLoaded(pack);
            coverage = descriptors.coverage(pack, c.pack().embeddingDim());
            if (state.job() == null || !state.job().startsWith("completed")) {
                throw refused("Candidate " + pack + " covers " + coverage.covered() + " of " + coverage.samples()
                        + " samples and its embedding job has not completed (" + state.job()
                        + "); wait for it, or ask the switch again to resume it",
                        Map.of("samples", coverage.samples(), "covered", coverage.covered(), "job", String.valueOf(state.job())));
            }
            embedding.stop();
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
        synchronized (candidate) {
            PackSettings.State state = settings.state();
            String pack = state.candidate().orElseThrow(() -> refused("There is no candidate pack to abandon", Map.of()));
            embedding.stop();
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
        synchronized (candidate) {
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

    /** The candidate to shadow recognitions on, once its job has completed (see {@link CandidatePack#shadow}). */
    public Optional<Shadow> shadow() {
        return candidate.shadow();
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
                    if (candidate.name() == null || !candidate.name().equals(event.pack())) {
                        PackSettings.State state = settings.state();
                        candidate.load(event.pack(), state.runId());
                        candidate.shadowMode(state.shadow());
                    }
                }
                case COMMITTED -> switchToCandidate(event.pack(), position);
                case ABANDONED -> {
                    embedding.stop();
                    candidate.drop();
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
        PackRuntime next = candidate.runtime();
        if (next == null || !next.name().equals(pack)) {
            // Not loaded here (it failed, or the worker started meanwhile): load it now, from the database, whole.
            next = opener.apply(pack);
        } else {
            next.sync().awaitApplied(position, CATCH_UP);
        }
        candidate.takeRuntime();
        PackRuntime previous = active.switchTo(next);
        health.changed();
        log.info("Switched from pack {} to {} at gallery position {}", previous.name(), pack, position);
        retirements.retire(previous);
    }

    /** Closes every runtime this worker holds: the active one, the candidate, and those waiting to be retired. */
    @Override
    public void close() {
        embedding.stop();
        feed.close();
        PackRuntime c = candidate.takeRuntime();
        retirements.close();
        if (c != null) {
            c.close();
        }
        active.current().close();
    }
}

package io.rollcall.packs;

import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.inference.PackRuntime;
import io.rollcall.person.PersonRef;
import io.rollcall.reembed.EnginePhotoEmbedder;
import io.rollcall.storage.DescriptorRepository;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.PackDescriptorRepository;
import io.rollcall.storage.PackSettings;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedding samples with the candidate pack: one at a time for enrollments made during a switch (every worker), and
 * the job that covers every sample the candidate lacks (the worker that took the switch).
 *
 * <p>The job pages through the samples without a descriptor of the candidate's pack, so it resumes where it stopped:
 * after a restart of its worker, or when the switch is asked again. It marks itself completed in the database only
 * while it is still this worker's job, so a job stopped by a commit or an abandon never overwrites what followed.
 */
final class CandidateEmbedding {
    private static final Logger log = LoggerFactory.getLogger(CandidateEmbedding.class);
    private static final int PAGE = 100;

    private final CandidatePack candidate;
    private final PackSettings settings;
    private final PackDescriptorRepository descriptors;
    private final DescriptorRepository photos;
    private final FaceRepository faces;
    private final ImageDecoder decoder;
    private volatile Thread job;

    CandidateEmbedding(CandidatePack candidate, PackSettings settings, PackDescriptorRepository descriptors,
                       DescriptorRepository photos, FaceRepository faces, ImageDecoder decoder) {
        this.candidate = candidate;
        this.settings = settings;
        this.descriptors = descriptors;
        this.photos = photos;
        this.faces = faces;
        this.decoder = decoder;
    }

    /** Embeds a sample just enrolled with the active pack with the candidate too, when one is loaded here. */
    void enrolled(long sampleId, PersonRef person, String name, byte[] image, String origin) {
        PackRuntime c = candidate.runtime();
        String run = candidate.runId();
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

    /** Starts the job unless it runs already. */
    void start() {
        synchronized (candidate) {
            Thread running = job;
            if (running != null && running.isAlive()) {
                return;
            }
            // Assigned before it starts: a job with nothing to do (switching back) finishes at once, and marks itself
            // completed only while it is still this worker's job.
            Thread next = Thread.ofPlatform().name("candidate-embedding").daemon().unstarted(this::run);
            job = next;
            next.start();
        }
    }

    /** Stops the job and waits (up to 30 s) for the sample it is embedding. */
    void stop() {
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

    private void run() {
        PackRuntime c = candidate.runtime();
        String run = candidate.runId();
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
}

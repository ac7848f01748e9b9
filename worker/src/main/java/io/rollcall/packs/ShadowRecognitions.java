package io.rollcall.packs;

import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.inference.PackRuntime;
import io.rollcall.inference.Photos;
import io.rollcall.metrics.WorkerMetrics;
import io.rollcall.recognize.FaceRecognition;
import io.rollcall.recognize.RecognitionSettings;
import io.rollcall.recognize.Recognizer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow mode: while a candidate loaded with {@code mode: shadow} is on this worker, a share
 * ({@code SHADOW_SAMPLE_RATE}) of recognitions is run again on it, after the reply has been sent, on a thread of
 * its own. A reply never waits for it. The queue is short ({@link #QUEUE}, photos are held in it): when the
 * candidate cannot keep up, further recognitions are not shadowed and counted as skipped
 * ({@code rollcall_shadow_skipped_total}) rather than piling up memory or CPU behind the door's requests.
 */
public final class ShadowRecognitions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShadowRecognitions.class);
    static final int QUEUE = 64;
    private static final Duration CATCH_UP = Duration.ofSeconds(5);

    private final PackLifecycle lifecycle;
    private final Function<ModelPack, RecognitionSettings> settings;
    private final Photos photos;
    private final double sampleRate;
    private final ThreadPoolExecutor runner = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
            Thread.ofPlatform().name("shadow-recognition").daemon().factory(), (task, pool) -> WorkerMetrics.shadowSkipped());

    /** @param sampleRate {@code SHADOW_SAMPLE_RATE}, in [0, 1] */
    public ShadowRecognitions(PackLifecycle lifecycle, Function<ModelPack, RecognitionSettings> settings, Photos photos,
                              double sampleRate) {
        this.lifecycle = lifecycle;
        this.settings = settings;
        this.photos = photos;
        this.sampleRate = sampleRate;
    }

    /**
     * Called once the reply to a recognition is on its way: queues the shadow run when a shadow candidate is loaded
     * and the sample falls in {@code SHADOW_SAMPLE_RATE}; returns at once.
     *
     * @param activeMs the active pack's time for the request
     * @param sink     where the outcome goes (the request's recognition-log event)
     */
    public void afterReply(FaceRecognition.Probe probe, FaceRecognition.RecognizedFace active, int activeMs,
                           Consumer<ShadowOutcome> sink) {
        Optional<PackLifecycle.Shadow> shadow = lifecycle.shadow();
        if (shadow.isEmpty() || (sampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= sampleRate)) {
            return;
        }
        runner.execute(() -> run(shadow.get(), probe, active, activeMs, sink));
    }

    private void run(PackLifecycle.Shadow shadow, FaceRecognition.Probe probe, FaceRecognition.RecognizedFace active,
                     int activeMs, Consumer<ShadowOutcome> sink) {
        PackRuntime c = shadow.candidate();
        long start = System.nanoTime();
        Optional<GalleryMatch> match;
        try (DecodedImage image = photos.decode(probe.image())) {
            double threshold = settings.apply(c.pack()).threshold(probe.threshold(), c.sync().gallery().size(probe.filter()));
            match = new Recognizer(c.engines().engine(), c.sync().gallery())
                    .recognize(image, probe.filter(), threshold, c.sync().startCatchUp(CATCH_UP)).match();
        } catch (RollcallException e) {
            match = Optional.empty(); // the candidate found no usable face where the active pack did: nobody
        } catch (RuntimeException e) {
            log.warn("Shadow recognition on {} failed", c.name(), e);
            return;
        }
        int candidateMs = (int) ((System.nanoTime() - start) / 1_000_000);
        Optional<GalleryMatch> activeMatch = active.match();
        ShadowOutcome outcome = new ShadowOutcome(c.name(), shadow.runId(),
                activeMatch.map(GalleryMatch::person).orElse(null), activeMatch.map(m -> (double) m.similarity()).orElse(null), activeMs,
                match.map(GalleryMatch::person).orElse(null), match.map(m -> (double) m.similarity()).orElse(null), candidateMs);
        WorkerMetrics.shadow(outcome.agreed(), activeMs, candidateMs, outcome.activeSimilarity(), outcome.candidateSimilarity());
        try {
            sink.accept(outcome);
        } catch (RuntimeException e) {
            log.warn("Shadow outcome not recorded: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}

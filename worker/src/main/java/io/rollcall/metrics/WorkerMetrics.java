package io.rollcall.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.rollcall.engine.StageTimings;
import io.rollcall.gallery.Gallery;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The worker's own metrics, registered on Micrometer's global registry so that they appear on whichever
 * {@code /actuator/prometheus} the process exposes (the worker's own, or the ingress's in the one-process mode).
 * Latencies are histograms so that Prometheus can compute percentiles across workers.
 */
public final class WorkerMetrics {
    private WorkerMetrics() {
    }

    public static void engineStages(StageTimings t) {
        stage("queue", t.queueMs());
        stage("detect", t.detectMs());
        stage("align", t.alignMs());
        stage("embed", t.embedMs());
    }

    public static void decode(double ms) {
        stage("decode", ms);
    }

    /** One handled request: which command, and its outcome ("ok" or the error code). */
    public static void request(String command, String outcome, long nanos) {
        Timer.builder("rollcall.worker.requests").tag("command", command).tag("outcome", outcome)
                .publishPercentileHistogram().register(Metrics.globalRegistry).record(Duration.ofNanos(nanos));
    }

    /**
     * From the moment the ingress sent a request (its Kafka timestamp) to a worker taking it up: Kafka's transit
     * plus any queueing behind other requests. Clocks of different hosts may differ; negative values count as 0.
     */
    public static void requestWait(long millis) {
        Timer.builder("rollcall.worker.request.wait").publishPercentileHistogram().register(Metrics.globalRegistry)
                .record(Duration.ofMillis(Math.max(0, millis)));
    }

    /** The gallery searched now: the active pack's, which a pack switch replaces. */
    public static void gallery(Supplier<Gallery> gallery) {
        Gauge.builder("rollcall.gallery.faces", () -> gallery.get().size()).description("Samples in this worker's gallery")
                .register(Metrics.globalRegistry);
        Gauge.builder("rollcall.gallery.persons", () -> gallery.get().personCount()).register(Metrics.globalRegistry);
        Gauge.builder("rollcall.gallery.memory", () -> gallery.get().stats().bytesUsed()).baseUnit("bytes")
                .description("Heap the gallery holds: 8-bit codes, scales, ids, persons").register(Metrics.globalRegistry);
        Gauge.builder("rollcall.gallery.exact.rows", () -> gallery.get().stats().exactRowBytes()).baseUnit("bytes")
                .description("The gallery's exact float rows, in a file outside the heap").register(Metrics.globalRegistry);
    }

    /**
     * One recognition also run on a shadow candidate: whether the packs agreed, each one's time and match similarity
     * (none without a match), so that Prometheus can compare them across workers.
     */
    public static void shadow(boolean agreed, int activeMs, int candidateMs, Double activeSimilarity, Double candidateSimilarity) {
        Metrics.counter("rollcall.shadow.recognitions", "outcome", agreed ? "agreement" : "disagreement").increment();
        shadowPack("active", activeMs, activeSimilarity);
        shadowPack("candidate", candidateMs, candidateSimilarity);
    }

    /** A recognition not shadowed because the candidate's queue was full. */
    public static void shadowSkipped() {
        Metrics.counter("rollcall.shadow.skipped").increment();
    }

    private static void shadowPack(String pack, int ms, Double similarity) {
        Timer.builder("rollcall.shadow.recognition").tag("pack", pack).publishPercentileHistogram()
                .register(Metrics.globalRegistry).record(Duration.ofMillis(ms));
        if (similarity != null) {
            DistributionSummary.builder("rollcall.shadow.similarity").tag("pack", pack)
                    .serviceLevelObjectives(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
                    .register(Metrics.globalRegistry).record(similarity);
        }
    }

    private static void stage(String stage, double ms) {
        Timer.builder("rollcall.engine.stage").tag("stage", stage).publishPercentileHistogram()
                .register(Metrics.globalRegistry).record(Duration.ofNanos((long) (ms * 1_000_000)));
    }
}

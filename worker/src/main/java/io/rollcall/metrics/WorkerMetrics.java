package io.rollcall.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.rollcall.engine.StageTimings;
import io.rollcall.gallery.Gallery;
import java.time.Duration;

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

    public static void gallery(Gallery gallery) {
        Gauge.builder("rollcall.gallery.faces", gallery, Gallery::size).description("Samples in this worker's gallery")
                .register(Metrics.globalRegistry);
        Gauge.builder("rollcall.gallery.persons", gallery, Gallery::personCount).register(Metrics.globalRegistry);
        Gauge.builder("rollcall.gallery.memory", gallery, g -> g.stats().bytesUsed()).baseUnit("bytes")
                .description("Heap the gallery holds: 8-bit codes, scales, ids, persons").register(Metrics.globalRegistry);
        Gauge.builder("rollcall.gallery.exact.rows", gallery, g -> g.stats().exactRowBytes()).baseUnit("bytes")
                .description("The gallery's exact float rows, in a file outside the heap").register(Metrics.globalRegistry);
    }

    private static void stage(String stage, double ms) {
        Timer.builder("rollcall.engine.stage").tag("stage", stage).publishPercentileHistogram()
                .register(Metrics.globalRegistry).record(Duration.ofNanos((long) (ms * 1_000_000)));
    }
}

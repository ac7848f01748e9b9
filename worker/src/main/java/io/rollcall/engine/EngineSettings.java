package io.rollcall.engine;

import io.rollcall.engine.detect.DetectorSettings;

/**
 * How the engine runs on this machine.
 *
 * @param detector             detector input sizes and thresholds
 * @param intraOpThreads       threads ONNX Runtime may use inside one inference
 * @param concurrentInferences inferences allowed to run at once; the rest wait their turn. Keeping
 *                             concurrentInferences × intraOpThreads ≤ cores stops ten simultaneous requests from
 *                             oversubscribing two cores (which makes every one of them slower)
 * @param qualityGate          whether enrollment rejects photos whose quality recommendation is not
 *                             {@code suitable_for_enrollment} ({@code ENABLE_FACE_QUALITY_CHECK})
 */
public record EngineSettings(DetectorSettings detector, int intraOpThreads, int concurrentInferences, boolean qualityGate) {
    public EngineSettings {
        if (intraOpThreads < 1 || concurrentInferences < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1");
        }
    }

    /**
     * One ORT thread per inference and as many inferences as cores. Measured on two cores with the dev pack, this
     * gives 39 ms for a lone request (2 threads × 1 inference: 30 ms) but 57 % more throughput with ten callers
     * at once (46 vs 29 requests/s), which is the load a school door sees.
     */
    public static EngineSettings defaults() {
        return new EngineSettings(DetectorSettings.DEFAULT, 1, defaultConcurrency(1), true);
    }

    /** As many inferences as the cores can run with {@code intraOpThreads} each, at least one. */
    public static int defaultConcurrency(int intraOpThreads) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, intraOpThreads));
    }
}

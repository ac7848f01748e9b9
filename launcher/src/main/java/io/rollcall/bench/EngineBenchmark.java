package io.rollcall.bench;

import io.rollcall.engine.FaceAnalysis;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.detect.ScrfdDetector;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Per-stage latency of one pack on one encoded photo, measured sequentially after warm-up, plus latency and
 * throughput with several simultaneous callers. Time inside ONNX Runtime is separated from our own work
 * (decode, resize, tensor filling, anchor decoding, NMS, warp).
 */
public final class EngineBenchmark {
    private EngineBenchmark() {
    }

    /** Medians and 90th percentiles in milliseconds. */
    public record StageResult(String pack, int iterations, int faces, Percentiles decode, Percentiles detect,
                              Percentiles align, Percentiles embed, Percentiles total, Percentiles outsideOrt) {
        public double outsideOrtShare() {
            return outsideOrt.p50() / total.p50();
        }
    }

    public record Percentiles(double p50, double p90, double p99) {
        public static Percentiles of(List<Double> samples) {
            double[] s = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Percentiles(at(s, 0.50), at(s, 0.90), at(s, 0.99));
        }

        private static double at(double[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    public record LoadResult(int callers, int requests, Percentiles latency, double requestsPerSecond) {
    }

    public static StageResult stages(FaceEngine engine, ImageDecoder decoder, byte[] photo, int warmup, int iterations) {
        for (int i = 0; i < warmup; i++) {
            once(engine, decoder, photo);
        }
        List<Double> decode = new ArrayList<>();
        List<Double> detect = new ArrayList<>();
        List<Double> align = new ArrayList<>();
        List<Double> embed = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<Double> outside = new ArrayList<>();
        int faces = 0;
        for (int i = 0; i < iterations; i++) {
            long ortBefore = engine.inferenceNanos();
            long start = System.nanoTime();
            FaceAnalysis a;
            long decoded;
            try (DecodedImage image = decoder.decode(photo)) {
                decoded = System.nanoTime();
                a = engine.analyze(image, FaceEngine.Embed.PRIMARY);
            }
            long end = System.nanoTime();
            double totalMs = (end - start) / 1e6;
            decode.add((decoded - start) / 1e6);
            detect.add(a.timings().detectMs());
            align.add(a.timings().alignMs());
            embed.add(a.timings().embedMs());
            total.add(totalMs);
            outside.add(totalMs - (engine.inferenceNanos() - ortBefore) / 1e6);
            faces = a.faceCount();
        }
        return new StageResult(engine.pack().name(), iterations, faces, Percentiles.of(decode), Percentiles.of(detect),
                Percentiles.of(align), Percentiles.of(embed), Percentiles.of(total), Percentiles.of(outside));
    }

    /** {@code callers} threads each send {@code perCaller} requests at once; latency includes waiting for a slot. */
    public static LoadResult load(FaceEngine engine, ImageDecoder decoder, byte[] photo, int callers, int perCaller)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<List<Double>>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < callers; c++) {
                futures.add(pool.submit(() -> {
                    List<Double> mine = new ArrayList<>();
                    for (int i = 0; i < perCaller; i++) {
                        long t = System.nanoTime();
                        once(engine, decoder, photo);
                        mine.add((System.nanoTime() - t) / 1e6);
                    }
                    return mine;
                }));
            }
            List<Double> all = new ArrayList<>();
            for (Future<List<Double>> f : futures) {
                all.addAll(f.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new LoadResult(callers, all.size(), Percentiles.of(all), all.size() / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Detection alone, for packs whose recognizer is not installed. */
    public static Percentiles detectorOnly(ScrfdDetector detector, Mat bgr, int warmup, int iterations) {
        for (int i = 0; i < warmup; i++) {
            detector.detect(bgr);
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            detector.detect(bgr);
            times.add((System.nanoTime() - t) / 1e6);
        }
        return Percentiles.of(times);
    }

    private static void once(FaceEngine engine, ImageDecoder decoder, byte[] photo) {
        try (DecodedImage image = decoder.decode(photo)) {
            engine.analyze(image, FaceEngine.Embed.PRIMARY);
        }
    }

}

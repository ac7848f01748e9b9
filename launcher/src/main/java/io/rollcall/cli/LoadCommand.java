package io.rollcall.cli;

import io.rollcall.bench.EngineBenchmark.Percentiles;
import io.rollcall.bench.HttpLoad;
import io.rollcall.bench.KeepAliveHttp;
import io.rollcall.engine.FaceAnalysis;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.gallery.Gallery;
import io.rollcall.person.PersonRef;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load test of a running service: fills the gallery to {@code --faces} enrolled faces over HTTP, then measures
 * recognize latency through HTTP (one client, then {@code --clients} at once) next to the bare engine on the same
 * photos in this process, and reports errors and the server's resident memory.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load-test a running Rollcall over HTTP: enroll a gallery, then concurrent recognize requests.")
final class LoadCommand implements Callable<Integer> {
    @Option(names = "--url", description = "service address (default: ${DEFAULT-VALUE})")
    private URI url = URI.create("http://127.0.0.1:8000");

    @Option(names = "--faces", description = "enrolled faces to reach before measuring (default: ${DEFAULT-VALUE})")
    private int faces = 1000;

    @Option(names = "--clients", description = "simultaneous clients (default: ${DEFAULT-VALUE})")
    private int clients = 10;

    @Option(names = "--requests", description = "timed recognize requests per client (default: ${DEFAULT-VALUE})")
    private int requests = 60;

    /**
     * A freshly started service spends its first few thousand requests partly in the JIT compiler: one process holds
     * Kafka's broker and clients, Spring and Tomcat, and the methods that run once per request reach the optimising
     * compiler only after thousands of calls. Measured on the 2-core Xeon (docs/benchmarks.md), the compiler threads
     * took 11.9 ms of CPU per request around request 700, 4–7 ms around 1,500–3,000 and 1.3 ms around 5,000, while
     * the bare engine, a few hundred methods, is warm after 300 calls. 3,000 untimed requests on each side put the
     * timed ones past most of it; both sides get the same warm-up.
     */
    @Option(names = "--warmup", description = "untimed recognize requests with all clients before measuring, on the"
            + " service and on the bare engine alike (default: ${DEFAULT-VALUE})")
    private int warmup = 3000;

    /**
     * The timed ten-client runs alternate between the service and the bare engine, so that a slower minute of a
     * shared machine falls on both sides rather than on one (on the development VM one side's rate moved by up to
     * 15 % between runs a minute apart); the ratio is of the totals.
     */
    @Option(names = "--rounds", description = "timed runs on each side, alternating service and bare engine; the"
            + " --requests per client are split among them (default: ${DEFAULT-VALUE})")
    private int rounds = 3;

    @Option(names = "--photos", description = "labelled photo folder (default: ${DEFAULT-VALUE})")
    private Path photos = Path.of("../shared/faces/dev");

    @Option(names = "--api-key", description = "API key, when the service requires one")
    private String apiKey;

    @Override
    public Integer call() throws Exception {
        HttpLoad load = new HttpLoad(url, apiKey);
        HttpLoad.Reply health = load.get("/api/health");
        if (health.status() != 200) {
            System.err.println("load: service at " + url + " is not healthy: HTTP " + health.status() + " " + health.body());
            return 2;
        }
        List<Path> identityPhotos = identityPhotos();
        int enrolled = health.body().path("enrolled_faces").asInt();
        int before = enrolled;
        java.util.Map<String, Integer> refused = new java.util.TreeMap<>();
        Random random = new Random(7);
        long start = System.nanoTime();
        // Augmented photos are sometimes refused (too dark, too small after cropping); keep going to the target.
        for (int i = 0; enrolled < faces && i < 3 * faces; i++) {
            byte[] image = augment(Files.readAllBytes(identityPhotos.get(i % identityPhotos.size())), random);
            HttpLoad.Reply r = load.post("/api/face/enroll",
                    HttpLoad.enrollBody("student", String.format(Locale.ROOT, "L%05d", before + i), "Load " + i, image));
            if (r.status() == 200) {
                enrolled++;
            } else if (r.status() == 429) {
                System.err.println("load: the service's rate limit refuses a load test from one address; start it with RATE_LIMIT_PER_MINUTE=0");
                return 2;
            } else {
                refused.merge(r.body().path("error_code").asText("HTTP_" + r.status()), 1, Integer::sum);
            }
        }
        System.out.printf(Locale.ROOT, "Gallery: %d faces enrolled before, %d now, in %.1f s; refused enrollments by code: %s%n",
                before, enrolled, (System.nanoTime() - start) / 1e9, refused);

        List<byte[]> probes = new ArrayList<>();
        for (Path p : identityPhotos) {
            probes.add(Files.readAllBytes(p));
        }
        int runs = Math.max(requests, 60);
        // Both the bare engine and HTTP see the same photos in the same order, after their own warm-up.
        List<byte[]> sequence = probes.subList(0, Math.min(runs, probes.size()));
        for (int i = 0; i < 10; i++) {
            load.post("/api/face/recognize", HttpLoad.recognizeBody(probes.get(i)));
        }
        if (warmup > 0) {
            load.recognize(probes, clients, warmupPerClient());
        }
        HttpLoad.LoadResult single = load.recognize(sequence, 1, sequence.size());
        List<HttpLoad.LoadResult> serviceRounds = new ArrayList<>();
        List<HttpLoad.LoadResult> bareRounds = new ArrayList<>();
        Percentiles bareSingle;
        try (FaceEngine engine = EngineBootstrap.openFromEnvironment()) {
            java.util.function.Consumer<byte[]> recognize = bareRecognizer(engine, faces);
            bareSingle = sequential(recognize, probes, sequence);
            if (warmup > 0) {
                callers(recognize, probes, clients, warmupPerClient(), java.util.Collections.synchronizedList(new ArrayList<>()));
            }
            int perRound = Math.max(1, (requests + rounds - 1) / rounds);
            for (int round = 0; round < rounds; round++) {
                // Alternate which side goes first, so a trend over the rounds weighs on both alike.
                if (round % 2 == 0) {
                    serviceRounds.add(load.recognize(probes, clients, perRound));
                    bareRounds.add(bareRun(recognize, probes, clients, perRound));
                } else {
                    bareRounds.add(bareRun(recognize, probes, clients, perRound));
                    serviceRounds.add(load.recognize(probes, clients, perRound));
                }
            }
        }
        HttpLoad.LoadResult many = HttpLoad.LoadResult.combine(serviceRounds);
        HttpLoad.LoadResult bare = HttpLoad.LoadResult.combine(bareRounds);
        List<String> transportRows = transportBySize(load, identityPhotos);
        HttpLoad.Reply after = load.get("/api/health");

        System.out.println();
        System.out.println("| recognize with " + faces + " faces enrolled | requests | errors | p50 ms | p99 ms | req/s |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.println(row("bare engine in this process (decode + detect + embed + search)", sequence.size(), 0, bareSingle, Double.NaN));
        System.out.println(row("bare engine, " + clients + " callers at once", bare.requests(), 0, bare.latency(),
                bare.requestsPerSecond()));
        System.out.println(row("HTTP, 1 client", single.requests(), single.errors(), single.latency(), single.requestsPerSecond()));
        System.out.println(row("HTTP, " + clients + " clients at once", many.requests(), many.errors(), many.latency(), many.requestsPerSecond()));
        System.out.printf(Locale.ROOT, "%nHTTP + Kafka overhead over the bare engine at p50 (1 client): %.1f ms%n",
                single.latency().p50() - bareSingle.p50());
        System.out.printf(Locale.ROOT, "Throughput with %d clients: %.1f req/s through the service, %.1f req/s bare: %.0f %%"
                        + " (%d alternating rounds: %s)%n",
                clients, many.requestsPerSecond(), bare.requestsPerSecond(),
                100 * many.requestsPerSecond() / bare.requestsPerSecond(), rounds, roundRatios(serviceRounds, bareRounds));
        System.out.printf(Locale.ROOT, "Transport (HTTP time less X-Rollcall-Worker-Ms) with %d clients: p50 %.1f ms, p99 %.1f ms%n",
                clients, many.transport().p50(), many.transport().p99());
        System.out.println();
        System.out.println("| photo | bytes | transport p50 ms (1 client, 15 requests) | p90 ms |");
        System.out.println("|---|---|---|---|");
        transportRows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "1-minute load average: %.2f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (!many.errorCodes().isEmpty() || !single.errorCodes().isEmpty()) {
            System.out.println("Errors: " + single.errorCodes() + " " + many.errorCodes());
        }
        System.out.println("Server resident memory: " + after.body().path("resident_memory_mb").asText("unknown") + " MiB");
        return single.errors() + many.errors() == 0 ? 0 : 1;
    }

    private static String row(String what, int requests, int errors, Percentiles p, double rps) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %s |", what, requests, errors, p.p50(), p.p99(),
                Double.isNaN(rps) ? "" : String.format(Locale.ROOT, "%.1f", rps));
    }

    /**
     * Transport cost by photo size: the smallest photo, the one nearest 1 MB (the size the transport target is set
     * for) and the largest, one client, 15 requests each after 3 to warm up, HTTP time less the worker's own
     * ({@code X-Rollcall-Worker-Ms}).
     */
    private static List<String> transportBySize(HttpLoad load, List<Path> photos) throws Exception {
        List<Path> bySize = new ArrayList<>(photos);
        bySize.sort(java.util.Comparator.comparingLong(p -> p.toFile().length()));
        Path nearOneMegabyte = bySize.stream()
                .min(java.util.Comparator.comparingLong(p -> Math.abs(p.toFile().length() - 1_000_000L))).orElseThrow();
        List<String> rows = new ArrayList<>();
        try (KeepAliveHttp connection = load.keepAlive()) {
            for (Path photo : new java.util.LinkedHashSet<>(List.of(bySize.getFirst(), nearOneMegabyte, bySize.getLast()))) {
                rows.add(transportRow(connection, photos, photo));
            }
        }
        return rows;
    }

    private static String transportRow(KeepAliveHttp connection, List<Path> photos, Path photo) throws Exception {
        byte[] image = Files.readAllBytes(photo);
        byte[] body = HttpLoad.recognizeJson(image);
        List<Double> transport = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            HttpLoad.Reply r = connection.post("/api/face/recognize", body);
            if (i >= 3 && !Double.isNaN(r.workerMillis())) {
                transport.add(r.transportMillis());
            }
        }
        Percentiles p = Percentiles.of(transport);
        return String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f |", photos.getFirst().getParent().getParent()
                .relativize(photo), image.length, p.p50(), p.p90());
    }

    private static String roundRatios(List<HttpLoad.LoadResult> service, List<HttpLoad.LoadResult> bare) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < service.size(); i++) {
            ratios.add(String.format(Locale.ROOT, "%.0f %%", 100 * service.get(i).requestsPerSecond() / bare.get(i).requestsPerSecond()));
        }
        return String.join(", ", ratios);
    }

    /**
     * The same work without HTTP and Kafka, as the service's worker does it: decode, detect, embed, and search a
     * gallery of {@code gallerySize} random faces.
     */
    private static java.util.function.Consumer<byte[]> bareRecognizer(FaceEngine engine, int gallerySize) {
        ImageDecoder decoder = EngineBootstrap.decoder();
        Gallery gallery = new Gallery(engine.pack().name(), engine.pack().embeddingDim());
        Random random = new Random(11);
        for (int i = 0; i < gallerySize; i++) {
            float[] v = new float[engine.pack().embeddingDim()];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
            gallery.put(i, PersonRef.student(String.format(Locale.ROOT, "B%05d", i)), "", v);
        }
        double threshold = EngineBootstrap.decision(engine.pack()).threshold(gallerySize);
        return probe -> {
            try (DecodedImage image = decoder.decode(probe)) {
                FaceAnalysis a = engine.analyze(image, FaceEngine.Embed.PRIMARY);
                if (a.faceCount() > 0) {
                    gallery.best(a.faces().get(0).embedding(), null, threshold);
                }
            }
        };
    }

    /** One call at a time over {@code sequence}, after ten untimed ones. */
    private static Percentiles sequential(java.util.function.Consumer<byte[]> recognize, List<byte[]> probes,
                                          List<byte[]> sequence) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < sequence.size() + 10; i++) {
            byte[] probe = i < 10 ? probes.get(i) : sequence.get(i - 10);
            long start = System.nanoTime();
            recognize.accept(probe);
            if (i >= 10) {
                times.add((System.nanoTime() - start) / 1e6);
            }
        }
        return Percentiles.of(times);
    }

    private static HttpLoad.LoadResult bareRun(java.util.function.Consumer<byte[]> recognize, List<byte[]> probes,
                                               int callers, int perCaller) throws Exception {
        List<Double> all = java.util.Collections.synchronizedList(new ArrayList<>());
        double seconds = callers(recognize, probes, callers, perCaller, all);
        return new HttpLoad.LoadResult(callers, all.size(), 0, java.util.Map.of(), List.copyOf(all), List.of(), seconds);
    }

    private int warmupPerClient() {
        return (warmup + clients - 1) / clients;
    }

    /** {@code callers} threads each recognise {@code perCaller} probes; returns the seconds it took. */
    private static double callers(java.util.function.Consumer<byte[]> recognize, List<byte[]> probes, int callers,
                                  int perCaller, List<Double> millis) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
        long start = System.nanoTime();
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perCaller; i++) {
                        long t = System.nanoTime();
                        recognize.accept(probes.get((caller * perCaller + i) % probes.size()));
                        millis.add((System.nanoTime() - t) / 1e6);
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private List<Path> identityPhotos() throws IOException {
        try (Stream<Path> files = Files.walk(photos)) {
            return files.filter(p -> p.getFileName().toString().matches("(?i).*\\.(jpe?g|png)"))
                    .filter(p -> !p.getParent().getFileName().toString().startsWith("_"))
                    .sorted().toList();
        }
    }

    /** A different photo of the same face: mirrored or not, cropped a little, brightness shifted, re-encoded. */
    private static byte[] augment(byte[] original, Random random) {
        try (Mat src = opencv_imgcodecs.imdecode(new Mat(original), opencv_imgcodecs.IMREAD_COLOR)) {
            int dx = (int) (src.cols() * 0.04 * random.nextDouble());
            int dy = (int) (src.rows() * 0.04 * random.nextDouble());
            try (Rect crop = new Rect(dx, dy, src.cols() - 2 * dx, src.rows() - 2 * dy);
                 Mat region = new Mat(src, crop);
                 Mat out = new Mat();
                 BytePointer buffer = new BytePointer();
                 IntPointer quality = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 90)) {
                region.convertTo(out, -1, 0.9 + 0.2 * random.nextDouble(), random.nextInt(21) - 10);
                if (random.nextBoolean()) {
                    opencv_core.flip(out, out, 1);
                }
                if (out.cols() > 1280) {
                    opencv_imgproc.resize(out, out, new Size(1280, out.rows() * 1280 / out.cols()));
                }
                opencv_imgcodecs.imencode(".jpg", out, buffer, quality);
                byte[] bytes = new byte[(int) buffer.limit()];
                buffer.get(bytes);
                return bytes;
            }
        }
    }
}

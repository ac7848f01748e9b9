package io.rollcall.cli;

import io.rollcall.health.ResidentMemory;
import io.rollcall.bench.EngineBenchmark;
import io.rollcall.bench.EngineBenchmark.LoadResult;
import io.rollcall.bench.EngineBenchmark.Percentiles;
import io.rollcall.bench.EngineBenchmark.StageResult;
import io.rollcall.bench.MachineInfo;
import io.rollcall.bench.SearchBenchmark;
import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.detect.ScrfdDetector;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.worker.WorkerConfig;
import io.rollcall.engine.model.ModelStore;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.engine.model.PackStatus;
import io.rollcall.engine.onnx.OnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.javacpp.IntPointer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures every installed pack on a 1280×960 photo, gallery search from 1,000 to 1,000,000 faces, and resident
 * memory, and prints a Markdown report (the source of docs/benchmarks.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark per-stage engine time for each installed pack, gallery search sizes and memory; prints Markdown.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--photo", description = "photo to benchmark on, resized to 1280x960 (default: ${DEFAULT-VALUE})")
    private Path photo = Path.of("../shared/faces/dev/angelina_jolie/02.jpg");

    @Option(names = "--iterations", description = "measured runs per pack (default: ${DEFAULT-VALUE})")
    private int iterations = 60;

    @Option(names = "--search-sizes", split = ",", description = "gallery sizes (default: 1000,10000,100000,1000000)")
    private int[] searchSizes = SearchBenchmark.DEFAULT_SIZES;

    @Option(names = "--out", description = "also write the report to this file")
    private Path out;

    @Option(names = "--json", paramLabel = "<file>", description = "also write the figures as JSON")
    private Path json;

    @Option(names = "--search-only", description = "only the gallery search and memory (no engine stages or callers)")
    private boolean searchOnly;

    /** The JSON beside the Markdown: the same figures as values. */
    record JsonReport(String measured, MachineInfo machine, double loadAverageBefore, double loadAverageAfter,
                      long maxHeapBytes, List<EngineBenchmark.StageResult> stages, List<CallerRow> callers,
                      List<SearchBenchmark.Result> search, long engineResidentBytes, long peakResidentBytes) {
    }

    /** One row of the simultaneous-callers table. */
    record CallerRow(int ortThreads, int concurrentInferences, EngineBenchmark.LoadResult load) {
    }

    @Override
    public Integer call() throws Exception {
        MachineInfo machine = MachineInfo.current();
        WorkerConfig config = EngineBootstrap.config();
        ModelSettings modelSettings = config.models();
        EngineSettings engineSettings = config.engine();
        PackCatalog catalog = PackCatalog.load(modelSettings.modelsDir());
        ModelStore store = new ModelStore(modelSettings);
        ImageDecoder decoder = EngineBootstrap.decoder();
        byte[] jpeg = photo1280x960(Files.readAllBytes(photo));
        double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<EngineBenchmark.StageResult> stageResults = new ArrayList<>();
        List<CallerRow> callerRows = new ArrayList<>();

        List<String> md = new ArrayList<>();
        md.add("# Benchmarks");
        md.add("");
        md.add(String.format(Locale.ROOT, "Measured %s with `./rollcall bench` on %s, %d cores, %.0f GiB RAM; %s; %s.",
                LocalDate.now(), machine.cpu(), machine.cores(), machine.memoryBytes() / (double) (1L << 30), machine.jvm(), machine.os()));
        md.add(String.format(Locale.ROOT, "Photo: `%s` resized to 1280×960, JPEG q95 (%d bytes). Detector sizes %s, threshold %.2f; "
                        + "%d ORT intra-op thread(s), %d inference(s) at a time. %d measured runs after 10 warm-up runs.",
                photo.getFileName(), jpeg.length, engineSettings.detector().inputSizes(), engineSettings.detector().scoreThreshold(),
                engineSettings.intraOpThreads(), engineSettings.concurrentInferences(), iterations));
        md.add("");
        md.add("## Engine stages (milliseconds, p50 / p90)");
        md.add("");
        md.add("| pack | decode | detect | align | embed | total | outside ORT | outside-ORT share |");
        md.add("|---|---|---|---|---|---|---|---|");
        List<String> notes = new ArrayList<>();
        List<String> loadRows = new ArrayList<>();
        String loadPack = null;
        for (ModelPack pack : searchOnly ? List.<ModelPack>of() : catalog.packs()) {
            PackStatus status = store.status(pack);
            if (status.ready()) {
                try (FaceEngine engine = FaceEngine.open(pack, status.files().get(0).path(), status.files().get(1).path(), engineSettings)) {
                    StageResult r = EngineBenchmark.stages(engine, decoder, jpeg, 10, iterations);
                    stageResults.add(r);
                    md.add(stageRow(r));
                }
                if (loadPack == null) {
                    loadPack = pack.name();
                    loadRows.addAll(loadRows(pack, status, engineSettings, decoder, jpeg, callerRows));
                }
            } else if (status.files().get(0).state() == PackStatus.State.INSTALLED) {
                md.add(detectorOnlyRow(pack, status.files().get(0).path(), engineSettings, decoder, jpeg));
                notes.add("`" + pack.name() + "`: recognizer `" + pack.recognizer().path() + "` not installed here; detector measured alone.");
            } else {
                notes.add("`" + pack.name() + "`: not installed here (" + status.state().name().toLowerCase(Locale.ROOT) + ").");
            }
        }
        long engineRss = ResidentMemory.currentBytes();
        md.add("");
        notes.forEach(n -> md.add("- " + n));
        if (!loadRows.isEmpty()) {
            md.add("");
            md.add("## Simultaneous callers (`" + loadPack + "`, decode + detect + align + embed per request)");
            md.add("");
            md.add("| ORT threads × inferences at once | callers | requests | latency p50 ms | p90 ms | p99 ms | requests/s |");
            md.add("|---|---|---|---|---|---|---|");
            md.addAll(loadRows);
        }

        md.add("");
        md.add("## Gallery search (512-d, 8-bit scan then exact re-score, one query, top-1)");
        md.add("");
        md.add("Gallery memory is the heap the index holds (8-bit codes, scales, ids, persons); the exact float rows are in "
                + "a file outside the heap, read back only for the candidates. Recall@1: top-1 equal to an exact float scan's.");
        md.add("");
        md.add("| faces | p50 ms | p99 ms | gallery memory MiB | exact rows on disk MiB | recall@1 (queries) |");
        md.add("|---|---|---|---|---|---|");
        List<SearchBenchmark.Result> searchResults = SearchBenchmark.run(searchSizes, 512, 20, 100, 1, 42L);
        for (SearchBenchmark.Result r : searchResults) {
            md.add(String.format(Locale.ROOT, "| %,d | %.3f | %.3f | %.0f | %.0f | %.1f %% (%d) |", r.gallerySize(), r.p50Millis(),
                    r.p99Millis(), r.galleryBytes() / (double) (1 << 20), r.exactRowBytes() / (double) (1 << 20),
                    100 * r.recallAt1(), r.recallQueries()));
        }
        md.add("");
        md.add("## Memory");
        md.add("");
        md.add(String.format(Locale.ROOT, "- Resident set after the engine benchmarks (models loaded, JVM, OpenCV, ORT): %.0f MiB.", engineRss / 1048576.0));
        md.add(String.format(Locale.ROOT, "- Peak resident set of the whole run, including the largest search gallery: %.0f MiB (JVM max heap %.0f MiB).",
                ResidentMemory.peakBytes() / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0));

        double loadAfter = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        md.add(String.format(Locale.ROOT, "- 1-minute load average %.2f before the run and %.2f after (other work on the machine shows up in every figure).",
                loadBefore, loadAfter));

        String report = String.join(System.lineSeparator(), md) + System.lineSeparator();
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report);
        }
        if (json != null) {
            JsonReport values = new JsonReport(LocalDate.now().toString(), machine, loadBefore, loadAfter,
                    Runtime.getRuntime().maxMemory(), stageResults, callerRows, searchResults, engineRss, ResidentMemory.peakBytes());
            Files.writeString(json, io.rollcall.json.Json.PRETTY.writeValueAsString(values) + System.lineSeparator());
        }
        return 0;
    }

    /** Lone and ten simultaneous callers, for both ways of spending the cores. */
    private static List<String> loadRows(ModelPack pack, PackStatus status, EngineSettings base, ImageDecoder decoder, byte[] jpeg,
                                         List<CallerRow> callerRows) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> rows = new ArrayList<>();
        for (int[] layout : new int[][] {{1, cores}, {cores, 1}}) {
            EngineSettings settings = new EngineSettings(base.detector(), layout[0], layout[1], base.qualityGate());
            try (FaceEngine engine = FaceEngine.open(pack, status.files().get(0).path(), status.files().get(1).path(), settings)) {
                EngineBenchmark.stages(engine, decoder, jpeg, 10, 10);
                for (LoadResult l : List.of(EngineBenchmark.load(engine, decoder, jpeg, 1, 30), EngineBenchmark.load(engine, decoder, jpeg, 10, 6))) {
                    callerRows.add(new CallerRow(layout[0], layout[1], l));
                    rows.add(String.format(Locale.ROOT, "| %d × %d | %d | %d | %.1f | %.1f | %.1f | %.1f |", layout[0], layout[1],
                            l.callers(), l.requests(), l.latency().p50(), l.latency().p90(), l.latency().p99(), l.requestsPerSecond()));
                }
            }
        }
        return rows;
    }

    private String detectorOnlyRow(ModelPack pack, Path detectorFile, EngineSettings settings, ImageDecoder decoder, byte[] jpeg) {
        try (OnnxModel model = OnnxModel.load(detectorFile, settings.intraOpThreads());
             DecodedImage image = decoder.decode(jpeg)) {
            Percentiles p;
            try (ScrfdDetector detector = new ScrfdDetector(model, pack.detector().input(), settings.detector())) {
                p = EngineBenchmark.detectorOnly(detector, image.mat(), 10, iterations);
            }
            return String.format(Locale.ROOT, "| %s (detector only) | | %.1f / %.1f | | | | | |", pack.name(), p.p50(), p.p90());
        }
    }

    private static String stageRow(StageResult r) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.0f %% |", r.pack(), cell(r.decode()), cell(r.detect()),
                cell(r.align()), cell(r.embed()), cell(r.total()), cell(r.outsideOrt()), 100 * r.outsideOrtShare());
    }

    private static String cell(Percentiles p) {
        return String.format(Locale.ROOT, "%.1f / %.1f", p.p50(), p.p90());
    }

    private static byte[] photo1280x960(byte[] original) {
        try (Mat src = opencv_imgcodecs.imdecode(new Mat(original), opencv_imgcodecs.IMREAD_COLOR);
             Mat resized = new Mat();
             BytePointer buffer = new BytePointer();
             IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 95)) {
            if (src.empty()) {
                throw new IllegalArgumentException("benchmark photo could not be decoded");
            }
            opencv_imgproc.resize(src, resized, new Size(1280, 960), 0, 0, opencv_imgproc.INTER_AREA);
            opencv_imgcodecs.imencode(".jpg", resized, buffer, params);
            byte[] bytes = new byte[(int) buffer.limit()];
            buffer.get(bytes);
            return bytes;
        }
    }
}

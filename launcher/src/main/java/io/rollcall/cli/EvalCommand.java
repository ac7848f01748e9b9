package io.rollcall.cli;

import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.eval.EvalReport;
import io.rollcall.eval.Evaluator;
import io.rollcall.eval.OpenSetPlot;
import io.rollcall.json.Json;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.worker.WorkerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Accuracy and per-stage speed of the configured pack on a labelled folder. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Enroll the first photo (or --enroll-photos) of each <identity>/ folder, probe with the rest, and report"
                + " accuracy, the accepted-vs-strangers curve and stage times.")
final class EvalCommand implements Callable<Integer> {
    private final Supplier<WorkerConfig> config;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dataset_dir>")
    private Path dataset;

    @Option(names = "--json", paramLabel = "<file>", description = "also write the report as JSON")
    private Path json;

    @Option(names = "--threshold", description = "decide with this fixed similarity threshold (default: the service's decision:"
            + " SIMILARITY_THRESHOLD when set, else the open-set rule for OPEN_SET_FALSE_ACCEPT_RATE at this dataset's gallery size)")
    private Double threshold;

    @Option(names = "--enroll-photos", paramLabel = "K", defaultValue = "1",
            description = "enroll the first K photos of each identity that show a face (default: ${DEFAULT-VALUE})")
    private int enrollPhotos;

    @Option(names = "--plot", paramLabel = "<file.png>", description = "also draw the accepted-vs-strangers curves as a PNG")
    private Path plot;

    EvalCommand() {
        this(EngineBootstrap::config);
    }

    /** @param config the worker's configuration: the pack, engine settings and decision a worker would use */
    EvalCommand(Supplier<WorkerConfig> config) {
        this.config = config;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(dataset)) {
            err.println("eval: not a directory: " + dataset);
            return 2;
        }
        if (enrollPhotos < 1) {
            err.println("eval: --enroll-photos must be at least 1, got " + enrollPhotos);
            return 2;
        }
        WorkerConfig settings = config.get();
        try (FaceEngine engine = EngineBootstrap.open(settings)) {
            OpenSetDecision decision = threshold != null ? new OpenSetDecision.Fixed(threshold)
                    : settings.recognition(engine.pack()).decision();
            EvalReport report = new Evaluator(engine, new ImageDecoder(settings.images()), decision, enrollPhotos).run(dataset);
            out.println(EvalSummary.render(report));
            if (json != null) {
                Files.writeString(json, Json.PRETTY.writeValueAsString(report) + System.lineSeparator());
                out.println("JSON report written to " + json);
            }
            if (plot != null) {
                OpenSetPlot.write(report, plot);
                out.println("Curves drawn in " + plot);
            }
        }
        return 0;
    }
}

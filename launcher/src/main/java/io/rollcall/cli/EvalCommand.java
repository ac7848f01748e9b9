package io.rollcall.cli;

import io.rollcall.engine.FaceEngine;
import io.rollcall.eval.EvalReport;
import io.rollcall.eval.Evaluator;
import io.rollcall.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Accuracy and per-stage speed of the configured pack on a labelled folder. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Enroll the first photo of each <identity>/ folder, probe with the rest, and report accuracy and stage times.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dataset_dir>")
    private Path dataset;

    @Option(names = "--json", paramLabel = "<file>", description = "also write the report as JSON")
    private Path json;

    @Option(names = "--threshold", description = "similarity threshold for the open-set rate (default: SIMILARITY_THRESHOLD, else the pack's recommended value)")
    private Double threshold;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dataset)) {
            System.err.println("eval: not a directory: " + dataset);
            return 2;
        }
        try (FaceEngine engine = EngineBootstrap.openFromEnvironment()) {
            double t = threshold != null ? threshold : EngineBootstrap.similarityThreshold(engine.pack());
            EvalReport report = new Evaluator(engine, EngineBootstrap.decoder(), t).run(dataset);
            System.out.println(EvalSummary.render(report));
            if (json != null) {
                Files.writeString(json, Json.PRETTY.writeValueAsString(report) + System.lineSeparator());
                System.out.println("JSON report written to " + json);
            }
        }
        return 0;
    }
}

package io.rollcall.cli;

import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.model.ModelPack.ImpostorTail;
import io.rollcall.eval.EvalReport;
import io.rollcall.eval.Evaluator;
import io.rollcall.recognize.ImpostorTailFit;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.worker.WorkerConfig;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./rollcall calibrate}: the open-set decision's settings from a school's own labelled photos. Runs the
 * evaluation on the folder, fits the impostor tail to its impostor pairs, and prints the variables to set and the
 * threshold they give at the school's gallery size, with what it costs in enrolled people accepted on the folder.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Fit the open-set decision (OPEN_SET_IMPOSTOR_TAIL) to a labelled folder <identity>/<images>"
                + " and print the settings for a target share of strangers accepted at a gallery size.")
final class CalibrateCommand implements Callable<Integer> {
    private final Supplier<WorkerConfig> config;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dataset_dir>")
    private Path dataset;

    @Option(names = "--stranger-rate", defaultValue = "0.01",
            description = "target share of strangers accepted as someone (default: ${DEFAULT-VALUE})")
    private double strangerRate;

    @Option(names = "--gallery-size", paramLabel = "N",
            description = "faces the school's gallery holds (default: the folder's enrolled identities); /api/health's enrolled_faces")
    private Integer gallerySize;

    @Option(names = "--far", defaultValue = "0.001", description = "where the tail is anchored (default: ${DEFAULT-VALUE})")
    private double far;

    CalibrateCommand() {
        this(EngineBootstrap::config);
    }

    /** @param config the worker's configuration: the pack and engine settings a worker would use */
    CalibrateCommand(Supplier<WorkerConfig> config) {
        this.config = config;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(dataset)) {
            err.println("calibrate: not a directory: " + dataset);
            return 2;
        }
        if (!(strangerRate > 0 && strangerRate < 1)) {
            err.println("calibrate: --stranger-rate must be between 0 and 1, got " + strangerRate);
            return 2;
        }
        WorkerConfig settings = config.get();
        try (FaceEngine engine = EngineBootstrap.open(settings)) {
            Evaluator evaluator = new Evaluator(engine, new ImageDecoder(settings.images()),
                    settings.recognition(engine.pack()).decision());
            EvalReport report = evaluator.run(dataset);
            ImpostorTail tail;
            try {
                tail = ImpostorTailFit.fit(evaluator.impostorScores(), far);
            } catch (IllegalArgumentException tooFew) {
                err.println("calibrate: " + tooFew.getMessage());
                return 1;
            }
            int n = gallerySize != null ? gallerySize : report.galleryFaces();
            OpenSetDecision decision = new OpenSetDecision.GallerySize(tail, strangerRate);
            double threshold = decision.threshold(n);
            out.printf(Locale.ROOT, "Impostor tail of %s on %s (%d impostor pairs): %.4f at FAR %s, scale %.4f%n",
                    report.pack(), dataset, report.impostorPairs(), tail.scoreAtFar(), tail.far(), tail.scale());
            out.printf(Locale.ROOT, "For %s of strangers accepted in a gallery of %d faces the threshold is %.4f.%n",
                    strangerRate, n, threshold);
            out.println("Set on every worker (or put the tail in a user pack manifest as impostor_tail):");
            out.printf(Locale.ROOT, "  OPEN_SET_IMPOSTOR_TAIL=%s,%s,%s%n", tail.scoreAtFar(), tail.far(), tail.scale());
            out.printf(Locale.ROOT, "  OPEN_SET_FALSE_ACCEPT_RATE=%s%n", strangerRate);
            out.println("and leave SIMILARITY_THRESHOLD unset. The threshold follows the gallery as it grows:");
            for (int size : new int[] {100, 300, 1_000, 3_000, 10_000, 100_000}) {
                out.printf(Locale.ROOT, "  %,9d faces: %.4f%n", size, decision.threshold(size));
            }
            var atFolder = evaluator.outcomeAt(decision.threshold(report.galleryFaces()));
            out.printf(Locale.ROOT, "On this folder (%d identities): %.2f %% of enrolled photos accepted as themselves,"
                    + " %.2f %% of strangers accepted.%n", report.identities(), 100 * atFolder.tar(), 100 * atFolder.strangersAccepted());
        }
        return 0;
    }
}

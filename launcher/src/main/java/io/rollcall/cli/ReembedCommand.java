package io.rollcall.cli;

import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.error.RollcallException;
import io.rollcall.reembed.EnginePhotoEmbedder;
import io.rollcall.reembed.FailedSample;
import io.rollcall.reembed.PhotoEmbedder;
import io.rollcall.reembed.ReembedOptions;
import io.rollcall.reembed.ReembedReport;
import io.rollcall.reembed.Reembedder;
import io.rollcall.reembed.SkipReason;
import io.rollcall.reembed.SkippedSample;
import io.rollcall.storage.Database;
import io.rollcall.storage.DescriptorRepository;
import io.rollcall.worker.WorkerConfig;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./rollcall reembed}: moves every stored sample to the configured pack ({@code INSIGHTFACE_MODEL}) from its
 * stored photo, against the database the worker uses. The work is {@link Reembedder}'s; this prints it.
 */
@Command(name = "reembed", mixinStandardHelpOptions = true,
        description = "Re-embed every stored sample of another model pack with INSIGHTFACE_MODEL, from its stored photo"
                + " (DATABASE_URL as the worker). Restart the workers afterwards.")
final class ReembedCommand implements Callable<Integer> {

    @Option(names = "--dry-run", description = "Count only: read no photo, run no engine, write nothing")
    private boolean dryRun;

    @Option(names = "--person-type", defaultValue = "all", paramLabel = "student|teacher|all",
            description = "Which samples to re-embed (default: ${DEFAULT-VALUE})")
    private PersonScope scope;

    @Option(names = "--progress-every", defaultValue = "" + ReembedOptions.DEFAULT_PROGRESS_EVERY, paramLabel = "N",
            description = "Print progress after every N rows (default: ${DEFAULT-VALUE})")
    private int progressEvery;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        WorkerConfig config = EngineBootstrap.config();
        ReembedOptions options = new ReembedOptions(scope.only(), dryRun, progressEvery);
        try (Database database = Database.open(config.store())) {
            DescriptorRepository samples = new DescriptorRepository(database.access());
            ReembedReport report;
            if (dryRun) {
                // The manifest gives the pack's name and dimension; a dry run needs no weights.
                ModelSettings models = config.models();
                ModelPack pack = PackCatalog.load(models.modelsDir()).require(models.packName());
                report = new Reembedder(samples, PhotoEmbedder.countingOnly(pack.name(), pack.embeddingDim()))
                        .run(options, p -> printProgress(out, p));
            } else {
                try (FaceEngine engine = EngineBootstrap.openFromEnvironment()) {
                    report = new Reembedder(samples, new EnginePhotoEmbedder(engine, EngineBootstrap.decoder()))
                            .run(options, p -> printProgress(out, p));
                }
            }
            printSummary(out, report);
            return report.succeeded() ? 0 : 1;
        } catch (RollcallException e) {
            System.err.println("reembed stopped: " + e.code() + ": " + e.getMessage()
                    + " (samples written so far stay written; run it again to resume)");
            return 1;
        }
    }

    private static void printProgress(PrintStream out, ReembedReport p) {
        out.printf("%d rows: %d %s, %d already current, %d skipped, %d failed%n", p.scanned(), p.reembedded(),
                p.dryRun() ? "to re-embed" : "re-embedded", p.alreadyCurrent(), p.skippedTotal(), p.failed().size());
    }

    private static void printSummary(PrintStream out, ReembedReport r) {
        for (SkippedSample s : r.skippedSamples()) {
            out.printf("skipped FaceData %d (%s): %s%s%n", s.sampleId(), s.person(), s.reason().code(),
                    s.detail() == null ? "" : " - " + s.detail());
        }
        for (FailedSample f : r.failed()) {
            out.printf("FAILED FaceData %d (%s): %s%n", f.sampleId(), f.person(), f.error());
        }
        out.printf("%s to %s: %d rows scanned, %d %s, %d already current, %d skipped, %d failed%n",
                r.dryRun() ? "Dry run" : "Re-embedding", r.model(), r.scanned(), r.reembedded(),
                r.dryRun() ? "to re-embed (photo present; faces not checked)" : "re-embedded", r.alreadyCurrent(),
                r.skippedTotal(), r.failed().size());
        for (SkipReason reason : SkipReason.values()) {
            if (r.skipped(reason) > 0) {
                out.printf("  skipped %s: %d%n", reason.code(), r.skipped(reason));
            }
        }
        if (!r.dryRun() && r.reembedded() > 0) {
            out.println("Restart the workers with INSIGHTFACE_MODEL=" + r.model() + " to load the new embeddings.");
        }
    }
}

package io.rollcall.cli;

import io.rollcall.engine.model.DownloadProgress;
import io.rollcall.engine.model.ManifestException;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.engine.model.ModelStore;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.engine.model.PackStatus;
import io.rollcall.engine.model.PackStatus.FileStatus;
import io.rollcall.error.RollcallException;
import java.io.Console;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rollcall models list|install|verify}: the operator's view of MODELS_DIR. Settings come from the environment
 * ({@code MODELS_DIR}, {@code INSIGHTFACE_MODEL}); results go to stdout, progress and errors to stderr.
 */
@Command(name = "models",
        description = "List, install and verify face model packs in MODELS_DIR; switch a running service's pack.",
        subcommands = {ModelsCommand.ListPacks.class, ModelsCommand.Install.class, ModelsCommand.Verify.class,
                PackLifecycleCommands.Switch.class, PackLifecycleCommands.Commit.class, PackLifecycleCommands.Abandon.class,
                PackLifecycleCommands.Status.class, PackLifecycleCommands.Comparison.class, PackLifecycleCommands.Purge.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:Success.",
                "1:A pack is missing or corrupt, or an install failed.",
                "2:Bad usage, unknown pack, or a bad manifest or setting."},
        footer = {"%nEnvironment:",
                "  MODELS_DIR            folder holding the packs (default ./models)",
                "  INSIGHTFACE_MODEL     the pack the service loads (default buffalo_l)",
                "  AUTO_DOWNLOAD_MODELS  download a missing pack at load (default true)",
                "User manifests: MODELS_DIR/packs/<name>.json, in the format of models/packs/."})
public final class ModelsCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int NOT_READY = 1;
    static final int USAGE = 2;

    // Read on first use, so a bad variable fails this command with exit 2, not the whole CLI at start-up.
    private final Supplier<ModelSettings> settings;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public ModelsCommand() {
        this(() -> EngineBootstrap.config().models());
    }

    public ModelsCommand(ModelSettings settings) {
        this(() -> settings);
    }

    private ModelsCommand(Supplier<ModelSettings> settings) {
        this.settings = settings;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "Missing subcommand: list, install, verify, switch, commit, abandon, status, comparison or purge");
    }

    /** What every subcommand needs; built per run so it sees the current manifests. */
    private record Context(ModelSettings settings, PackCatalog catalog, ModelStore store) {
    }

    /** Runs a subcommand, turning the package's exceptions into messages and exit codes. */
    abstract static class PackCommand implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        abstract int run(Context context);

        @Override
        public Integer call() {
            try {
                ModelSettings settings = parent.settings.get();
                return run(new Context(settings, PackCatalog.load(settings.modelsDir()), new ModelStore(settings)));
            } catch (ManifestException | IllegalArgumentException e) {
                err().println("error: " + e.getMessage());
                return USAGE;
            } catch (RollcallException e) {
                err().println("error: " + e.getMessage());
                return NOT_READY;
            } finally {
                out().flush();
                err().flush();
            }
        }

        /** The named pack, or an error listing the known ones. */
        Optional<ModelPack> pack(Context context, String name) {
            Optional<ModelPack> pack = context.catalog().find(name);
            if (pack.isEmpty()) {
                err().println("error: unknown model pack '" + name + "'; known packs: " + String.join(", ",
                        context.catalog().packs().stream().map(ModelPack::name).toList()));
            }
            return pack;
        }

        void printFiles(PackStatus status) {
            for (FileStatus file : status.files()) {
                out().printf("  %-11s %-34s %s%s%n", file.role(), file.file().path(), word(file.state()),
                        file.problem() == null ? "" : ": " + file.problem());
            }
        }
    }

    @Command(name = "list",
            description = "List the known packs with their files, install status and licence.")
    static final class ListPacks extends PackCommand {
        @Override
        int run(Context context) {
            String defaultPack = context.settings().packName();
            out().println("Model packs in " + context.store().modelsDir() + " (* = default, from INSIGHTFACE_MODEL):");
            for (ModelPack pack : context.catalog().packs()) {
                PackStatus status = context.store().status(pack);
                out().println();
                out().printf("%s %-12s %s%n", pack.name().equals(defaultPack) ? "*" : " ", pack.name(), word(status.state()));
                printFiles(status);
                out().printf("  %-11s %s%n", "licence", pack.licence());
                out().printf("  %-11s %s%n", "manifest", context.catalog().source(pack.name()));
            }
            if (context.catalog().find(defaultPack).isEmpty()) {
                err().println("warning: INSIGHTFACE_MODEL names an unknown pack '" + defaultPack + "'");
            }
            return OK;
        }
    }

    @Command(name = "install",
            description = "Install a pack's missing or corrupt files into MODELS_DIR, from its official archive or --from a local copy.")
    static final class Install extends PackCommand {
        @Parameters(index = "0", paramLabel = "<pack>", description = "Pack name, as in 'models list'.")
        String packName;

        @Option(names = "--from", paramLabel = "<zip-or-dir>",
                description = "A local zip, a folder holding the files (found by name), or an http(s)/file URL of a zip.")
        String from;

        @Override
        int run(Context context) {
            Optional<ModelPack> found = pack(context, packName);
            if (found.isEmpty()) {
                return USAGE;
            }
            ModelPack pack = found.get();
            ModelStore store = context.store();
            if (store.status(pack).ready()) {
                out().println(pack.name() + " is already installed and verified in " + store.modelsDir());
                return OK;
            }
            PackStatus status;
            try (ProgressLine progress = new ProgressLine(err(), ProgressLine.onTerminal())) {
                if (from == null) {
                    status = store.install(pack, progress);
                } else if (from.matches("(?i)^(https?|file):.*")) {
                    status = store.install(pack, URI.create(from), progress);
                } else {
                    status = store.install(pack, Path.of(from));
                }
            }
            out().println("Installed " + pack.name() + " into " + store.modelsDir() + ":");
            printFiles(status);
            return OK;
        }
    }

    @Command(name = "verify",
            description = "Re-read the packs' files and check sizes and SHA-256. Exit 1 when anything is missing or corrupt.")
    static final class Verify extends PackCommand {
        @Parameters(arity = "0..*", paramLabel = "<pack>", description = "Packs to verify (default: INSIGHTFACE_MODEL).")
        List<String> packNames = new ArrayList<>();

        @Override
        int run(Context context) {
            List<String> names = packNames.isEmpty() ? List.of(context.settings().packName()) : packNames;
            int exit = OK;
            for (String name : names) {
                Optional<ModelPack> pack = pack(context, name);
                if (pack.isEmpty()) {
                    return USAGE;
                }
                PackStatus status = context.store().verify(pack.get());
                out().println(name + ": " + word(status.state()));
                printFiles(status);
                if (!status.ready()) {
                    out().println("  fix: " + ModelStore.installCommand(pack.get()));
                    exit = NOT_READY;
                }
            }
            return exit;
        }
    }

    static String word(PackStatus.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Download progress on stderr: one self-overwriting line on a terminal, or a line per tenth of the download
     * when stderr is a log (CI, docker logs), where carriage returns would pile up.
     */
    static final class ProgressLine implements DownloadProgress, AutoCloseable {
        private static final long REDRAW_NANOS = 200_000_000L;

        private final PrintWriter err;
        private final boolean terminal;
        private long lastDraw;
        private long lastStep = -1;
        private boolean drawn;

        ProgressLine(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        /**
         * Whether a self-overwriting line will display well. Before JDK 22 a console exists only on a terminal; from
         * JDK 22 one exists even when output is redirected, and {@code Console.isTerminal()} (not in the Java 21 API
         * this code compiles against) tells the two apart.
         */
        static boolean onTerminal() {
            Console console = System.console();
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }

        @Override
        public void update(String item, long bytesDone, long bytesTotal) {
            if (terminal) {
                long now = System.nanoTime();
                if ((bytesTotal > 0 && bytesDone == bytesTotal) || !drawn || now - lastDraw > REDRAW_NANOS) {
                    err.print("\r" + line(item, bytesDone, bytesTotal));
                    err.flush();
                    lastDraw = now;
                    drawn = true;
                }
            } else {
                long step = bytesTotal > 0 ? bytesDone * 10 / bytesTotal : bytesDone >> 25;
                if (step != lastStep) {
                    err.println(line(item, bytesDone, bytesTotal));
                    err.flush();
                    lastStep = step;
                }
            }
        }

        private static String line(String item, long bytesDone, long bytesTotal) {
            return bytesTotal > 0
                    ? String.format(Locale.ROOT, "Downloading %s: %,d / %,d bytes (%d%%)", item, bytesDone, bytesTotal,
                    bytesDone * 100 / bytesTotal)
                    : String.format(Locale.ROOT, "Downloading %s: %,d bytes", item, bytesDone);
        }

        @Override
        public void close() {
            if (terminal && drawn) {
                err.println();
                err.flush();
            }
        }
    }
}

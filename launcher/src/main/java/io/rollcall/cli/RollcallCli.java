package io.rollcall.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./rollcall}. */
@Command(name = "rollcall", mixinStandardHelpOptions = true, version = "rollcall 0.1.0",
        description = "Self-hosted face recognition for school attendance. Without a command: serve.",
        subcommands = {ServeCommand.class, IngressCommand.class, WorkerCommand.class, ModelsCommand.class, EmbedCommand.class,
                EvalCommand.class, CalibrateCommand.class, BenchCommand.class, LoadCommand.class, ImportCommand.class, ReembedCommand.class,
                MigrateCommand.class, BackupCommand.class, RestoreCommand.class})
public final class RollcallCli implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RollcallCli()).execute(args));
    }

    /** No command: run the whole service, as {@code ./rollcall serve}. */
    @Override
    public void run() {
        int code = spec.commandLine().execute("serve");
        if (code != 0) {
            System.exit(code);
        }
    }
}

package io.rollcall.cli;

import io.rollcall.backup.BackupKey;
import io.rollcall.backup.DatabaseRestore;
import io.rollcall.backup.RestoreMode;
import io.rollcall.backup.RestoreReport;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.storage.Database;
import io.rollcall.worker.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./rollcall restore <file>}: a backup written into the database at {@code DATABASE_URL} (any supported
 * kind, so also the way from the embedded default to a school's MySQL or SQL Server), all of it or nothing. The work
 * is {@link DatabaseRestore}'s.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup into the database at DATABASE_URL, all or nothing. BACKUP_KEY is the passphrase"
                + " it was made with. Running workers pick the gallery up by reconciliation (GALLERY_RECONCILE_SECONDS).")
final class RestoreCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file>", description = "the backup file")
    private Path file;

    @Option(names = "--mode", defaultValue = "merge", paramLabel = "merge|replace",
            description = "merge: add what is missing, change nothing that is there (default); replace: empty the"
                    + " backed-up tables first and keep the backup's ids")
    private String mode;

    @Option(names = "--check", description = "decrypt and verify the whole file, write nothing")
    private boolean checkOnly;

    private final Map<String, String> environment;

    RestoreCommand() {
        this(System.getenv());
    }

    RestoreCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RestoreMode restoreMode = switch (mode.toLowerCase(Locale.ROOT)) {
            case "merge" -> RestoreMode.MERGE;
            case "replace" -> RestoreMode.REPLACE;
            default -> null;
        };
        if (restoreMode == null) {
            err.println("restore: --mode must be merge or replace, got " + mode);
            return BackupCommand.REFUSED;
        }
        try {
            WorkerConfig config = EngineBootstrap.config(environment);
            BackupKey key = WorkerConfig.backupKey(environment);
            try (Database database = Database.open(config.store())) {
                DatabaseRestore restore = new DatabaseRestore(database.access());
                RestoreReport report = checkOnly ? restore.check(file, key) : restore.restore(file, key, restoreMode);
                print(out, report, config.models().packName());
                return BackupCommand.DONE;
            }
        } catch (RollcallException e) {
            err.println("restore: " + e.code() + ": " + e.getMessage());
            return e.code() == ErrorCode.DATABASE_ERROR ? BackupCommand.FAILED : BackupCommand.REFUSED;
        }
    }

    private static void print(PrintWriter out, RestoreReport r, String pack) {
        out.printf("%s: backup of %s taken at %s (photos %s, recognition logs %s)%n",
                r.mode() == null ? "Checked, nothing written" : "Restored (" + r.mode().name().toLowerCase(Locale.ROOT) + ")",
                r.sourceDatabase(), r.createdAt(), r.images() ? "included" : "left out",
                r.recognitionLogs() ? "included" : "left out");
        r.tables().forEach((table, n) -> out.printf("  %-26s %,9d in backup, %,9d written, %,9d already there,"
                + " %,9d removed first%s%n", table, n.inBackup(), n.inserted(), n.matched(), n.deleted(),
                r.mode() != null && n.inserted() > 0 && n.idsKept() ? " (ids kept)" : ""));
        out.println("  descriptors by pack: " + r.modelPacks());
        if (r.mode() != null) {
            out.println("  running workers on this database pick the samples up within GALLERY_RECONCILE_SECONDS;"
                    + " no restart needed");
        }
        if (!r.modelPacks().isEmpty() && !r.modelPacks().containsKey(pack)) {
            out.println("  note: none of them is of " + pack + " (INSIGHTFACE_MODEL): run ./rollcall reembed to use them");
        }
    }
}

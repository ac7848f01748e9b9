package io.rollcall.cli;

import io.rollcall.backup.BackupKey;
import io.rollcall.backup.BackupOptions;
import io.rollcall.backup.BackupReport;
import io.rollcall.backup.DatabaseBackup;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.storage.Database;
import io.rollcall.worker.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./rollcall backup <file>}: a consistent snapshot of the database the workers use ({@code DATABASE_URL}, or
 * the embedded default, which a running {@code ./rollcall} serves to this process), encrypted with
 * {@code BACKUP_KEY}. The work is {@link DatabaseBackup}'s.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write an encrypted backup of the database (DATABASE_URL as the workers) while the service runs."
                + " BACKUP_KEY is the passphrase.")
final class BackupCommand implements Callable<Integer> {
    static final int DONE = 0;
    static final int FAILED = 1;
    static final int REFUSED = 2;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file>", description = "the backup file to create (never overwritten)")
    private Path file;

    @Option(names = "--no-images", description = "leave the photos out (no re-embedding with another pack after a restore)")
    private boolean noImages;

    @Option(names = "--no-logs", description = "leave the recognition logs (FaceRecognitionLogs) out")
    private boolean noLogs;

    private final Map<String, String> environment;

    BackupCommand() {
        this(System.getenv());
    }

    BackupCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            WorkerConfig config = EngineBootstrap.config(environment);
            BackupKey key = WorkerConfig.backupKey(environment);
            try (Database database = Database.open(config.store())) {
                BackupReport report = new DatabaseBackup(database.access())
                        .write(file, key, new BackupOptions(!noImages, !noLogs));
                out.printf("Backup of %s taken at %s written to %s (%,d bytes, encrypted)%n", report.sourceDatabase(),
                        report.createdAt(), report.file(), report.bytes());
                report.rows().forEach((table, rows) -> out.printf("  %-26s %,9d rows%n", table, rows));
                out.println("  descriptors by pack: " + report.modelPacks());
                out.println("  photos " + (report.images() ? "included" : "left out") + ", recognition logs "
                        + (report.recognitionLogs() ? "included" : "left out"));
                return DONE;
            }
        } catch (RollcallException e) {
            err.println("backup: " + e.code() + ": " + e.getMessage());
            return e.code() == ErrorCode.DATABASE_ERROR ? FAILED : REFUSED;
        }
    }
}

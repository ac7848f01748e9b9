package io.rollcall.backup;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.DatabaseVendor;
import io.rollcall.storage.DecodedDescriptor;
import io.rollcall.storage.DescriptorCodec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./rollcall backup}: every {@link BackupTable} read in one consistent snapshot of the database, while the
 * service goes on writing, into an encrypted file ({@link BackupArchive}, {@link SealedOutputStream}).
 *
 * <p>The snapshot is the database's own: H2's SNAPSHOT isolation, MySQL/MariaDB's {@code START TRANSACTION WITH
 * CONSISTENT SNAPSHOT} under REPEATABLE READ (InnoDB's consistent read), SQL Server's SNAPSHOT isolation (which the
 * database must allow: {@code ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION ON}). None of them blocks writers,
 * so enrollments, recognitions and attendance go on during a backup, and the file holds the state of one instant:
 * no attendance row without its session, no migration record without its sample.
 */
public final class DatabaseBackup {
    /** SQL Server's {@code SQLServerConnection.TRANSACTION_SNAPSHOT}; not in {@link Connection}. */
    private static final int SQLSERVER_SNAPSHOT = 0x1000;
    /** SQL Server: "Snapshot isolation transaction failed ... not allowed in this database". */
    private static final int SQLSERVER_SNAPSHOT_NOT_ALLOWED = 3952;

    private final DatabaseAccess database;
    private final Clock clock;
    private final int iterations;

    public DatabaseBackup(DatabaseAccess database) {
        this(database, Clock.systemUTC(), SealedHeader.DEFAULT_ITERATIONS);
    }

    /** With fewer key-derivation iterations, for tests. */
    DatabaseBackup(DatabaseAccess database, Clock clock, int iterations) {
        this.database = database;
        this.clock = clock;
        this.iterations = iterations;
    }

    /**
     * Writes the backup to {@code file}, which must not exist: first to {@code <file>.partial} beside it (readable by
     * its owner only), renamed once complete, so no half-written backup ever carries the final name.
     *
     * @throws RollcallException VALIDATION_ERROR when {@code file} exists or its folder cannot be written;
     *                           DATABASE_ERROR when the database fails
     */
    public BackupReport write(Path file, BackupKey key, BackupOptions options) {
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "A file already exists at " + target
                    + "; choose another name (a backup never overwrites one)", Map.of("field", "file"));
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            BackupReport report;
            try (OutputStream out = create(partial)) {
                report = snapshot(out, key, options);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return new BackupReport(target, Files.size(target), report.createdAt(), report.sourceDatabase(),
                    report.images(), report.recognitionLogs(), report.rows(), report.modelPacks());
        } catch (IOException e) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "Cannot write the backup to " + target + ": " + e,
                    Map.of("field", "file"), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static OutputStream create(Path partial) throws IOException {
        Files.deleteIfExists(partial); // left by a backup that was killed
        try {
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(partial);
        }
        return new BufferedOutputStream(Files.newOutputStream(partial, StandardOpenOption.WRITE), 1 << 16);
    }

    private BackupReport snapshot(OutputStream out, BackupKey key, BackupOptions options) throws IOException {
        DatabaseVendor vendor = database.vendor();
        String createdAt = Instant.now(clock).toString();
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Long> packs = new TreeMap<>();
        try (Connection c = database.dataSource().getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            try (BackupArchive.Writer archive = new BackupArchive.Writer(out, key, iterations)) {
                beginSnapshot(c, vendor);
                for (BackupTable table : BackupTable.values()) {
                    if (table == BackupTable.RECOGNITION_LOGS && !options.recognitionLogs()) {
                        continue;
                    }
                    rows.put(table.sqlName(), copy(c, table, options.images(), archive, packs));
                }
                c.rollback(); // read only: nothing to commit
                archive.finish(createdAt, vendor.name(), options.images(), options.recognitionLogs(), packs);
            } finally {
                c.setAutoCommit(autoCommit);
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            throw failure(vendor, e);
        }
        return new BackupReport(null, 0, createdAt, vendor.name(), options.images(), options.recognitionLogs(), rows, packs);
    }

    private static void beginSnapshot(Connection c, DatabaseVendor vendor) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            switch (vendor) {
                // Takes effect for the transaction that the first read starts.
                case H2 -> s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
                case MYSQL -> {
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
                }
                case SQLSERVER -> c.setTransactionIsolation(SQLSERVER_SNAPSHOT);
            }
        }
    }

    private long copy(Connection c, BackupTable table, boolean images, BackupArchive.Writer archive,
                      Map<String, Long> packs) throws SQLException, IOException {
        long count = 0;
        int descriptor = table == BackupTable.FACE_DATA ? table.indexOf("FaceDescriptor") : -1;
        try (PreparedStatement ps = c.prepareStatement(table.selectAll(), ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY);
             BackupArchive.Writer.TableWriter out = archive.table(table)) {
            ps.setFetchSize(database.streamingFetchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = Rows.read(rs, table, images);
                    out.row(row);
                    count++;
                    if (descriptor >= 0) {
                        packs.merge(packOf((String) row[descriptor]), 1L, Long::sum);
                    }
                }
            }
        }
        return count;
    }

    private static String packOf(String descriptor) {
        return DescriptorCodec.decode(descriptor) instanceof DecodedDescriptor.Rollcall r
                ? r.descriptor().model() : "legacy";
    }

    private static RollcallException failure(DatabaseVendor vendor, SQLException e) {
        if (vendor == DatabaseVendor.SQLSERVER && e.getErrorCode() == SQLSERVER_SNAPSHOT_NOT_ALLOWED) {
            return new RollcallException(ErrorCode.DATABASE_ERROR, "SQL Server refuses a snapshot read: allow it once"
                    + " with ALTER DATABASE <name> SET ALLOW_SNAPSHOT_ISOLATION ON (writers are never blocked by it)",
                    Map.of("operation", "back up the database"), e);
        }
        return new RollcallException(ErrorCode.DATABASE_ERROR, "Database error while backing up: " + e.getMessage(),
                Map.of("operation", "back up the database"), e);
    }
}

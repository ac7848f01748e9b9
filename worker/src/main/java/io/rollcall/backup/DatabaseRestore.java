package io.rollcall.backup;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.DatabaseVendor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./rollcall restore}: a backup written into this database (H2, MySQL/MariaDB or SQL Server, whichever the
 * backup came from), in {@link RestoreMode#MERGE} or {@link RestoreMode#REPLACE}.
 *
 * <p>Nothing is written unless all of it is: the whole file is first decrypted and checked against its manifest
 * without touching the database, then written in one transaction, which the second read checks again before it
 * commits. A wrong key or a truncated or altered file therefore leaves the database exactly as it was.
 *
 * <p>Running workers see the restored gallery through their periodic reconciliation with the database
 * ({@code GALLERY_RECONCILE_SECONDS}), without a restart.
 */
public final class DatabaseRestore {
    private static final int BATCH_ROWS = 200;

    private final DatabaseAccess database;

    public DatabaseRestore(DatabaseAccess database) {
        this.database = database;
    }

    /** Decrypts and checks the whole backup, writing nothing. */
    public RestoreReport check(Path file, BackupKey key) {
        Map<BackupTable, long[]> counts = new EnumMap<>(BackupTable.class);
        BackupManifest manifest = BackupArchive.read(file, key, (table, row) ->
                counts.computeIfAbsent(table, t -> new long[1])[0]++);
        Map<String, RestoreReport.Counts> tables = new LinkedHashMap<>();
        for (BackupManifest.Entry e : manifest.entries()) {
            tables.put(e.table(), new RestoreReport.Counts(e.rows(), 0, 0, 0, false));
        }
        return report(null, manifest, tables);
    }

    /**
     * @throws RollcallException BACKUP_KEY_WRONG, BACKUP_TRUNCATED, BACKUP_CORRUPT, BACKUP_UNSUPPORTED (nothing
     *                           written), DATABASE_ERROR (rolled back: nothing written)
     */
    public RestoreReport restore(Path file, BackupKey key, RestoreMode mode) {
        check(file, key);
        DatabaseVendor vendor = database.vendor();
        try (Connection c = database.dataSource().getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            Run run = new Run(c, vendor, mode);
            try {
                run.prepare();
                BackupManifest manifest = BackupArchive.read(file, key, run::row);
                run.finishTable();
                c.commit();
                run.restartIdentities();
                return report(mode, manifest, run.counts());
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            throw new RollcallException(ErrorCode.DATABASE_ERROR, "Database error while restoring (nothing was written): "
                    + e.getMessage(), Map.of("operation", "restore a backup"), e);
        }
    }

    private static RestoreReport report(RestoreMode mode, BackupManifest m, Map<String, RestoreReport.Counts> tables) {
        return new RestoreReport(mode, m.createdAt(), m.sourceDatabase(), m.images(), m.recognitionLogs(), tables,
                m.modelPacks());
    }

    /** One restore's state: the connection, the id each restored row received, and the counts. */
    private static final class Run {
        private final Connection c;
        private final DatabaseVendor vendor;
        private final RestoreMode mode;
        /** Per table with an identity column: the backup's id to the id the row has here. */
        private final Map<String, Map<Long, Long>> ids = new HashMap<>();
        private final Map<BackupTable, long[]> counts = new EnumMap<>(BackupTable.class);
        private final Map<BackupTable, Boolean> keepIds = new EnumMap<>(BackupTable.class);
        private final List<BackupTable> identitiesToRestart = new ArrayList<>();
        private BackupTable current;
        private Map<String, Long> existing;
        private PreparedStatement insert;
        private int batched;

        Run(Connection c, DatabaseVendor vendor, RestoreMode mode) {
            this.c = c;
            this.vendor = vendor;
            this.mode = mode;
        }

        /** Replace: empties the tables, children first. */
        void prepare() throws SQLException {
            for (BackupTable t : BackupTable.values()) {
                keepIds.put(t, mode == RestoreMode.REPLACE && t.hasIdentity());
            }
            if (mode != RestoreMode.REPLACE) {
                return;
            }
            BackupTable[] tables = BackupTable.values();
            try (Statement s = c.createStatement()) {
                for (int i = tables.length - 1; i >= 0; i--) {
                    BackupTable t = tables[i];
                    int deleted = s.executeUpdate("DELETE FROM " + t.sqlName());
                    counts(t)[3] = deleted;
                    if (t == BackupTable.FACE_DATA && deleted > 0) {
                        keepIds.put(t, false);
                    }
                }
            }
        }

        void row(BackupTable table, Object[] row) {
            try {
                if (table != current) {
                    finishTable();
                    startTable(table);
                }
                long[] n = counts(table);
                n[0]++;
                remapReferences(table, row);
                Long backupId = table.hasIdentity() ? (Long) row[0] : null;
                if (existing != null) {
                    String key = MergeKey.of(table, row);
                    Long here = key == null ? null : existing.get(key);
                    if (here != null) {
                        ids(table).put(backupId, here);
                        n[2]++;
                        return;
                    }
                }
                insert(table, row, backupId);
                n[1]++;
            } catch (SQLException e) {
                throw new RollcallException(ErrorCode.DATABASE_ERROR, "Database error while restoring " + table.sqlName()
                        + " (nothing was written): " + e.getMessage(), Map.of("operation", "restore a backup"), e);
            }
        }

        private void startTable(BackupTable table) throws SQLException {
            current = table;
            boolean keep = keepIds.get(table);
            existing = mode == RestoreMode.MERGE ? MergeKey.existing(c, table) : null;
            if (keep && vendor == DatabaseVendor.SQLSERVER) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET IDENTITY_INSERT " + table.sqlName() + " ON");
                }
            }
            insert = generatesReferencedIds(table)
                    ? c.prepareStatement(table.insert(false), Statement.RETURN_GENERATED_KEYS)
                    : c.prepareStatement(table.insert(keep));
            batched = 0;
        }

        /** Rows other rows point at get their new id back one at a time; all others go in batches. */
        private boolean generatesReferencedIds(BackupTable table) {
            return !keepIds.get(table) && switch (table) {
                case STUDENT, TEACHER, SESSIONS, FACE_DATA -> true;
                default -> false;
            };
        }

        private void insert(BackupTable table, Object[] row, Long backupId) throws SQLException {
            boolean keep = keepIds.get(table);
            List<Column> columns = table.written(keep);
            int offset = table.columns().size() - columns.size();
            for (int i = 0; i < columns.size(); i++) {
                Rows.bind(insert, i + 1, columns.get(i), row[i + offset]);
            }
            if (generatesReferencedIds(table)) {
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("the driver returned no generated Id for " + table.sqlName());
                    }
                    ids(table).put(backupId, keys.getLong(1));
                }
                return;
            }
            insert.addBatch();
            if (++batched == BATCH_ROWS) {
                insert.executeBatch();
                batched = 0;
            }
        }

        void finishTable() throws SQLException {
            if (current == null) {
                return;
            }
            if (batched > 0) {
                insert.executeBatch();
            }
            insert.close();
            if (keepIds.get(current)) {
                if (vendor == DatabaseVendor.SQLSERVER) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET IDENTITY_INSERT " + current.sqlName() + " OFF");
                    }
                }
                identitiesToRestart.add(current);
            }
            current = null;
        }

        /**
         * H2 does not move an identity past ids inserted explicitly (MySQL's AUTO_INCREMENT and SQL Server's
         * IDENTITY do). Its ALTER commits, so it runs after the restore's commit: at worst a failure here leaves the
         * counter behind, and the next insert's duplicate key names the table.
         */
        void restartIdentities() throws SQLException {
            if (vendor != DatabaseVendor.H2) {
                return;
            }
            try (Statement s = c.createStatement()) {
                for (BackupTable t : identitiesToRestart) {
                    long max;
                    try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(Id), 0) FROM " + t.sqlName())) {
                        rs.next();
                        max = rs.getLong(1);
                    }
                    s.execute("ALTER TABLE " + t.sqlName() + " ALTER COLUMN Id RESTART WITH " + (max + 1));
                }
            }
            c.commit();
        }

        private void remapReferences(BackupTable table, Object[] row) {
            for (int i = 0; i < row.length; i++) {
                Column col = table.columns().get(i);
                if (col.references() == null || row[i] == null) {
                    continue;
                }
                String target = col.references().equals(Column.BY_SOURCE_TABLE)
                        ? (String) row[table.indexOf("SourceTable")] : col.references();
                Map<Long, Long> map = target == null ? null : ids.get(target.strip().toLowerCase(Locale.ROOT));
                Long mapped = map == null ? null : map.get((Long) row[i]);
                if (mapped != null) {
                    row[i] = mapped;
                }
            }
        }

        private Map<Long, Long> ids(BackupTable table) {
            return ids.computeIfAbsent(table.sqlName().toLowerCase(Locale.ROOT), t -> new HashMap<>());
        }

        private long[] counts(BackupTable table) {
            return counts.computeIfAbsent(table, t -> new long[4]);
        }

        Map<String, RestoreReport.Counts> counts() {
            Map<String, RestoreReport.Counts> out = new LinkedHashMap<>();
            for (BackupTable t : BackupTable.values()) {
                long[] n = counts.get(t);
                if (n != null) {
                    out.put(t.sqlName(), new RestoreReport.Counts(n[0], n[1], n[2], n[3], keepIds.get(t)));
                }
            }
            return out;
        }
    }
}

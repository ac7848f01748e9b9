package io.rollcall.backup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * What makes two rows the same in a merge: the natural key, never the id (ids differ between databases). Codes
 * are compared without the {@code nchar(10)} padding; times to the second (MySQL's DATETIME keeps no fraction).
 */
final class MergeKey {
    private MergeKey() {
    }

    /** The key of a row (references already rewritten to this database's ids), or null: never matches. */
    static String of(BackupTable table, Object[] row) {
        return switch (table) {
            case STUDENT -> join(table, row, "StudentCode");
            case TEACHER -> join(table, row, "TeacherCode");
            case SESSIONS -> join(table, row, "Name", "StartTime");
            // The same descriptor is the same sample; a row without one is known by its photo.
            case FACE_DATA -> {
                String descriptor = (String) row[table.indexOf("FaceDescriptor")];
                byte[] photo = (byte[]) row[table.indexOf("ImageData")];
                String identity = descriptor != null ? "d" + sha256(descriptor.getBytes(StandardCharsets.UTF_8))
                        : photo != null ? "p" + sha256(photo) : null;
                yield identity == null ? null : join(table, row, "PersonType", "PersonCode") + "|" + identity;
            }
            case ATTENDANCE -> join(table, row, "SessionId", "StudentCode", "Status", "AttendanceDate");
            case RECOGNITION_LOGS -> row[table.indexOf("EventId")] != null ? join(table, row, "EventId")
                    : join(table, row, "PersonCode", "PersonType", "RecognitionDate", "SourceImageName", "Success");
            case MIGRATION_BATCHES -> join(table, row, "BatchId");
            case PACK_DESCRIPTORS -> join(table, row, "FaceDataId", "ModelPack");
            case MIGRATED_SAMPLES -> join(table, row, "FaceDataId");
            case MIGRATED_PERSONS -> join(table, row, "BatchId", "PersonType", "PersonCode");
        };
    }

    /** The keys of the rows this database holds now, to their ids (0 for tables without one). */
    static Map<String, Long> existing(Connection c, BackupTable table) throws SQLException {
        Map<String, Long> keys = new HashMap<>();
        if (table == BackupTable.FACE_DATA) {
            // Photos are read only for the rows that have no descriptor to be known by.
            read(c, table, "WHERE FaceDescriptor IS NOT NULL", false, keys);
            read(c, table, "WHERE FaceDescriptor IS NULL", true, keys);
        } else {
            read(c, table, "", false, keys);
        }
        return keys;
    }

    private static void read(Connection c, BackupTable table, String where, boolean photos, Map<String, Long> keys)
            throws SQLException {
        String sql = table.selectAll().replace(" ORDER BY ", " " + where + " ORDER BY ");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Object[] row = Rows.read(rs, table, photos);
                String key = of(table, row);
                if (key != null) {
                    keys.putIfAbsent(key, table.hasIdentity() ? (Long) row[0] : 0L);
                }
            }
        }
    }

    private static String join(BackupTable table, Object[] row, String... columns) {
        StringBuilder key = new StringBuilder();
        for (String column : columns) {
            Object v = row[table.indexOf(column)];
            if (v == null && columns.length == 1) {
                return null;
            }
            key.append(switch (v) {
                case null -> "\u0000";
                case String s -> s.stripTrailing();
                case LocalDateTime t -> t.truncatedTo(ChronoUnit.SECONDS).toString();
                default -> v.toString();
            }).append('|');
        }
        return key.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

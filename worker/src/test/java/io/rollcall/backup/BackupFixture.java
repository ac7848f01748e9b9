package io.rollcall.backup;

import io.rollcall.storage.DescriptorCodec;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.testing.DevData;
import io.rollcall.testing.TestDatabase;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A school's database as Rollcall leaves it, with something in every table a backup carries: people with and
 * without portraits, Rollcall samples with real dev photos, an old-system row, a sample without a photo, a session
 * with attendance, recognition logs with and without an event id, and a migration batch with its records.
 */
final class BackupFixture {
    static final String ANGELINA_NAME = "Angelina Jolie";
    static final LocalDateTime MONDAY = LocalDateTime.of(2026, 3, 2, 8, 0);

    private BackupFixture() {
    }

    static void fill(TestDatabase db) {
        JdbcClient sql = db.sql();
        sql.sql("INSERT INTO Student (StudentCode, StudentNickname, StudentName, StudentImage, Campus, Form, CreatedDate)"
                        + " VALUES ('S001', 'Angie', ?, ?, 'North', '7B', ?)")
                .params(ANGELINA_NAME, DevData.bytes("angelina_jolie/06.jpg"), MONDAY).update();
        sql.sql("INSERT INTO Student (StudentCode, StudentName, CreatedDate) VALUES ('S002', 'Kit Harington', ?)")
                .param(MONDAY).update();
        sql.sql("INSERT INTO Teacher (TeacherCode, TeacherName, Department, CreatedDate) VALUES ('T01', 'Tom Hanks', 'Maths', ?)")
                .param(MONDAY).update();
        long first = sample(db, "student", "S001", "angelina_jolie/01.jpg", descriptor(1));
        sample(db, "student", "S001", "angelina_jolie/02.jpg", descriptor(2));
        sample(db, "student", "S001", "angelina_jolie/03.jpg", descriptor(3));
        // The old system's row: a bare array of 128 numbers and its photo.
        sample(db, "student", "S002", "kit_harington/01.jpg", legacyDescriptor());
        sample(db, "teacher", "T01", null, descriptor(4));
        // A pack switch's candidate descriptor of the first sample, kept beside its FaceData row.
        sql.sql("INSERT INTO RollcallPackDescriptors (FaceDataId, ModelPack, Descriptor, RunId) VALUES (?, 'dev_2_5g', ?,"
                        + " '5a1d3c2e-0b7f-4e0a-9a43-2f9c1f7d6e10')")
                .params(first, descriptor("dev_2_5g", 5)).update();
        long session = insertReturningId(db, "INSERT INTO Sessions (Name, Form, StartTime, CreatedDate) VALUES"
                + " ('Form 7B, first period', '7B', ?, ?)", MONDAY, MONDAY);
        sql.sql("INSERT INTO AttendanceRecords (SessionId, StudentCode, Status, AttendanceDate, CreatedDate) VALUES (?, 'S001', 'Present', ?, ?)")
                .params(session, MONDAY.plusMinutes(3), MONDAY.plusMinutes(3)).update();
        sql.sql("INSERT INTO FaceRecognitionLogs (PersonCode, PersonType, Confidence, ProcessingTimeMs, SourceImageName,"
                        + " RecognitionDate, Success, EventId) VALUES ('S001', 'student', ?, 41, 'door-1.jpg', ?, TRUE, ?)")
                .params(new BigDecimal("0.8123"), MONDAY.plusMinutes(3), "7d0b8a52-3f43-4d8e-9b57-1f6b1c0e2a11").update();
        sql.sql("INSERT INTO FaceRecognitionLogs (PersonCode, PersonType, Confidence, ProcessingTimeMs, SourceImageName,"
                        + " RecognitionDate, Success) VALUES (NULL, NULL, NULL, 38, 'door-2.jpg', ?, FALSE)")
                .param(MONDAY.plusMinutes(4)).update();
        sql.sql("INSERT INTO RollcallMigrationBatches (BatchId, ModelPack, Selection, StartedAt, FinishedAt, Report)"
                        + " VALUES ('bffbc33e-f5a6-442a-977f-1aa50c01ca26', 'dev', '{}', ?, ?, '{\"migrated\":1}')")
                .params(MONDAY, MONDAY.plusMinutes(1)).update();
        sql.sql("INSERT INTO RollcallMigratedSamples (FaceDataId, BatchId, PersonType, PersonCode, SourceTable, SourceId, MigratedAt)"
                        + " VALUES (?, 'bffbc33e-f5a6-442a-977f-1aa50c01ca26', 'student', 'S001', 'Student', 1, ?)")
                .params(first, MONDAY).update();
        sql.sql("INSERT INTO RollcallMigratedPersons (BatchId, PersonType, PersonCode, Samples, CompletedAt)"
                        + " VALUES ('bffbc33e-f5a6-442a-977f-1aa50c01ca26', 'student', 'S001', 1, ?)")
                .param(MONDAY).update();
    }

    static long sample(TestDatabase db, String type, String code, String photo, String descriptor) {
        byte[] image = photo == null ? null : DevData.bytes(photo);
        return insertReturningId(db, "INSERT INTO FaceData (PersonType, PersonCode, ImageData, FaceDescriptor,"
                        + " OriginalName, ContentType, CreatedDate, ImageSha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                type, code, image, descriptor, photo, image == null ? null : "image/jpeg", MONDAY,
                image == null ? null : sha256(image));
    }

    /** A Rollcall descriptor of the dev pack: a unit vector, different for each seed. */
    static String descriptor(int seed) {
        return descriptor("dev", seed);
    }

    static String descriptor(String pack, int seed) {
        Random random = new Random(seed);
        float[] v = new float[512];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return DescriptorCodec.encode(new FaceDescriptor(pack, v));
    }

    static String legacyDescriptor() {
        double[] v = new Random(128).doubles(128, -0.2, 0.2).toArray();
        return Arrays.toString(v).replace(" ", "");
    }

    /**
     * Every table a backup carries, each row as comparable values (photos by SHA-256, codes without padding, times
     * to the second as MySQL keeps them), in key order; with {@code ids} false, identity columns are left out.
     */
    static Map<String, List<List<Object>>> dump(TestDatabase db, boolean ids) {
        Map<String, List<List<Object>>> tables = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (BackupTable table : BackupTable.values()) {
                List<List<Object>> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery(table.selectAll())) {
                    while (rs.next()) {
                        Object[] row = Rows.read(rs, table, true);
                        List<Object> values = new ArrayList<>();
                        for (int i = 0; i < row.length; i++) {
                            boolean id = table.columns().get(i).kind() == Column.Kind.ID
                                    || table.columns().get(i).references() != null;
                            if (!ids && id) {
                                continue;
                            }
                            values.add(switch (row[i]) {
                                case null -> "null";
                                case byte[] b -> "sha256:" + sha256(b);
                                case String str -> str.stripTrailing();
                                case LocalDateTime t -> t.withNano(0).toString();
                                default -> row[i].toString();
                            });
                        }
                        rows.add(values);
                    }
                }
                rows.sort((a, b) -> a.toString().compareTo(b.toString()));
                tables.put(table.sqlName(), rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return tables;
    }

    static long count(TestDatabase db, String table) {
        return db.sql().sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long insertReturningId(TestDatabase db, String sql, Object... params) {
        return db.access().read("fixture", () -> db.access().insertReturningId(sql, Arrays.asList(params)));
    }
}

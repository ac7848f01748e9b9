package io.rollcall.testing;

import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A school database as the old Node.js system leaves it on day one, before Rollcall has ever run on it: the spec's
 * tables ({@code /school-schema/<dialect>.sql}, whose four people have no photo), {@code FaceData} rows holding
 * face_recognition's bare arrays of 128 numbers with the enrollment photo (from {@code ../shared/faces/dev}) in
 * {@code ImageData}, portraits in {@code Student.StudentImage} / {@code Teacher.TeacherImage}, and every code written
 * padded to the width of {@code nchar(10)}.
 */
public final class LegacySchool {
    /** The tables of the school, in the order {@link #snapshot} reads them. */
    public static final List<String> TABLES = List.of("Student", "Teacher", "FaceData", "Sessions", "AttendanceRecords");

    private final JdbcClient sql;
    private int encodings;

    private LegacySchool(DataSource dataSource) {
        this.sql = JdbcClient.create(dataSource);
    }

    /**
     * Creates the school's tables with the old system's own DDL and its four photo-less people (S001, S002, S003,
     * T01).
     *
     * @param dialect {@code h2} or {@code mysql}
     */
    public static LegacySchool create(DataSource dataSource, String dialect) {
        TestDatabase.runScript(dataSource, "/school-schema/" + dialect + ".sql");
        return new LegacySchool(dataSource);
    }

    /**
     * The class the migration tests run on; what each person should come to is written beside them. Students by
     * code, then teachers:
     * <pre>
     * S001, S002, S003, T01  (the schema's own)  no photo at all                      → no_photo
     * S101 Kofi Annan   North 10A  2 old rows                                       → 2 samples
     * S102 Laura Bush   North 10A  2 old rows, portrait = the first row's photo      → 2 samples, same_photo
     * S103 Hugo Chavez  North 10B  portrait only                                     → 1 sample
     * S104 Nobody Face  South 10B  an old row whose photo has no face               → no_face
     * S105 Mixed Up     South 10B  old rows of Vladimir Putin, then of Jackie Chan   → 1 sample, sample_mismatch
     * S106 Descriptor Only South 10A  an old row without a photo                    → no_photo
     * S107 (no Student row)        an old row of Halle Berry                        → 1 sample, no name
     * S108 Group Photo  North 10A  an old row with two faces of similar size        → multiple_faces
     * S109 Broken File  North 10A  an old row whose photo is a truncated JPEG        → unreadable
     * T101 Tom Hanks    South      2 old rows                                       → 2 samples
     * T102 Tom Again    South      an old row with T101's first photo                → duplicate
     * </pre>
     */
    public static LegacySchool standardClass(DataSource dataSource, String dialect) {
        LegacySchool school = create(dataSource, dialect);
        school.student("S101", "Kofi Annan", "North", "10A", null)
                .oldFace("student", "S101", "kofi_annan/01.jpg")
                .oldFace("student", "S101", "kofi_annan/02.jpg");
        school.student("S102", "Laura Bush", "North", "10A", "laura_bush/01.jpg")
                .oldFace("student", "S102", "laura_bush/01.jpg")
                .oldFace("student", "S102", "laura_bush/02.jpg");
        school.student("S103", "Hugo Chavez", "North", "10B", "hugo_chavez/01.jpg");
        school.student("S104", "Nobody Face", "South", "10B", null)
                .oldFace("student", "S104", "_noface/01.jpg");
        school.student("S105", "Mixed Up", "South", "10B", null)
                .oldFace("student", "S105", "vladimir_putin/01.jpg")
                .oldFace("student", "S105", "jackie_chan/01.jpg");
        school.student("S106", "Descriptor Only", "South", "10A", null)
                .oldFace("student", "S106", null, null);
        school.oldFace("student", "S107", "halle_berry/01.jpg");
        school.student("S108", "Group Photo", "North", "10A", null)
                .oldFace("student", "S108", "_group/01.jpg");
        school.student("S109", "Broken File", "North", "10A", null)
                .oldFace("student", "S109", Arrays.copyOf(DevData.bytes("kofi_annan/03.jpg"), 1500), "broken.jpg");
        school.teacher("T101", "Tom Hanks", "South", null)
                .oldFace("teacher", "T101", "tom_hanks/01.jpg")
                .oldFace("teacher", "T101", "tom_hanks/02.jpg");
        school.teacher("T102", "Tom Again", "South", null)
                .oldFace("teacher", "T102", "tom_hanks/01.jpg");
        return school;
    }

    /** A {@code Student} row; {@code portrait} is a dev photo's path, or null. */
    public LegacySchool student(String code, String name, String campus, String form, String portrait) {
        sql.sql("INSERT INTO Student (StudentCode, StudentName, Campus, Form, StudentImage) VALUES (?, ?, ?, ?, ?)")
                .params(padded(code), name, campus, form, portrait == null ? null : DevData.bytes(portrait))
                .update();
        return this;
    }

    /** A {@code Teacher} row; {@code portrait} is a dev photo's path, or null. */
    public LegacySchool teacher(String code, String name, String campus, String portrait) {
        sql.sql("INSERT INTO Teacher (TeacherCode, TeacherName, Campus, TeacherImage) VALUES (?, ?, ?, ?)")
                .params(padded(code), name, campus, portrait == null ? null : DevData.bytes(portrait))
                .update();
        return this;
    }

    /** An old {@code FaceData} row with a dev photo, named as the old system named uploads. */
    public LegacySchool oldFace(String type, String code, String photo) {
        return oldFace(type, code, DevData.bytes(photo), photo.substring(photo.lastIndexOf('/') + 1));
    }

    /** An old {@code FaceData} row: its 128-number encoding, and {@code image} (or none). */
    public LegacySchool oldFace(String type, String code, byte[] image, String originalName) {
        sql.sql("INSERT INTO FaceData (PersonType, PersonCode, ImageData, FaceDescriptor, OriginalName, ContentType)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")
                .params(type, padded(code), image, encoding128(++encodings), originalName, image == null ? null : "image/jpeg")
                .update();
        return this;
    }

    /** The old system's face_recognition encoding: a bare JSON array of 128 numbers. */
    public static String encoding128(long seed) {
        Random random = new Random(seed);
        StringJoiner json = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < 128; i++) {
            json.add(Double.toString(random.nextGaussian() * 0.1));
        }
        return json.toString();
    }

    /** {@code nchar(10)} as SQL Server returns it: the code and trailing spaces to ten characters. */
    private static String padded(String code) {
        return String.format(Locale.ROOT, "%-10s", code);
    }

    /**
     * Every row of the school's tables, every column but {@code ignored} (lower case), as text, by table: images in
     * hex, so that equal snapshots mean equal bytes.
     */
    public static Map<String, List<Map<String, String>>> snapshot(DataSource dataSource, Set<String> ignored) {
        Map<String, List<Map<String, String>>> tables = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                List<Map<String, String>> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY Id")) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, String> row = new LinkedHashMap<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            String column = meta.getColumnLabel(i).toLowerCase(Locale.ROOT);
                            if (!ignored.contains(column)) {
                                row.put(column, text(rs.getObject(i)));
                            }
                        }
                        rows.add(row);
                    }
                }
                tables.put(table, rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return tables;
    }

    private static String text(Object value) throws SQLException {
        return switch (value) {
            case null -> "NULL";
            case byte[] bytes -> "0x" + HexFormat.of().formatHex(bytes);
            case Blob blob -> "0x" + HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length()));
            case Clob clob -> clob.getSubString(1, (int) clob.length());
            default -> value.toString();
        };
    }
}

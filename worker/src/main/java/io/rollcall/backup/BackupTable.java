package io.rollcall.backup;

import java.util.List;

/**
 * The tables a backup holds, in the order they are written and restored (a table comes after those it refers to),
 * with the columns of the spec's schema that Rollcall's migrations create. Columns a school added to its own tables
 * are not carried. {@code RollcallLocks} is not carried either: its rows are transient lock handles.
 */
enum BackupTable {
    STUDENT("Student", "StudentCode",
            id(), text("StudentCode"), text("StudentNickname"), text("StudentName"), photo("StudentImage"),
            text("EmailAddress"), text("Campus"), text("Form"), time("CreatedDate")),
    TEACHER("Teacher", "TeacherCode",
            id(), text("TeacherCode"), text("TeacherNickname"), text("TeacherName"), photo("TeacherImage"),
            text("EmailAddress"), text("Campus"), text("Department"), time("CreatedDate")),
    SESSIONS("Sessions", "Id",
            id(), text("Name"), text("Form"), time("StartTime"), time("EndTime"), time("CreatedDate")),
    FACE_DATA("FaceData", "Id",
            id(), text("PersonType"), text("PersonCode"), photo("ImageData"), text("FaceDescriptor"),
            text("OriginalName"), text("ContentType"), time("CreatedDate"), text("ImageSha256")),
    /** A sample's descriptors of other packs (a pack switch's candidate, or the pack switched from until purged). */
    PACK_DESCRIPTORS("RollcallPackDescriptors", "FaceDataId, ModelPack",
            ref("FaceDataId", "FaceData"), text("ModelPack"), text("Descriptor"), text("RunId")),
    ATTENDANCE("AttendanceRecords", "Id",
            id(), ref("SessionId", "Sessions"), text("StudentCode"), text("Status"), time("AttendanceDate"),
            time("CreatedDate")),
    RECOGNITION_LOGS("FaceRecognitionLogs", "Id",
            id(), text("PersonCode"), text("PersonType"), decimal("Confidence"), number("ProcessingTimeMs"),
            text("SourceImageName"), time("RecognitionDate"), bool("Success"), text("EventId")),
    MIGRATION_BATCHES("RollcallMigrationBatches", "BatchId",
            text("BatchId"), text("ModelPack"), text("Selection"), time("StartedAt"), time("FinishedAt"),
            time("RolledBackAt"), text("Report")),
    MIGRATED_SAMPLES("RollcallMigratedSamples", "FaceDataId",
            ref("FaceDataId", "FaceData"), text("BatchId"), text("PersonType"), text("PersonCode"),
            text("SourceTable"), ref("SourceId", Column.BY_SOURCE_TABLE), time("MigratedAt")),
    MIGRATED_PERSONS("RollcallMigratedPersons", "BatchId, PersonType, PersonCode",
            text("BatchId"), text("PersonType"), text("PersonCode"), number("Samples"), time("CompletedAt"));

    private final String sqlName;
    private final String orderBy;
    private final List<Column> columns;

    BackupTable(String sqlName, String orderBy, Column... columns) {
        this.sqlName = sqlName;
        this.orderBy = orderBy;
        this.columns = List.of(columns);
    }

    String sqlName() {
        return sqlName;
    }

    /** The archive entry holding the table's rows, one JSON object per line. */
    String entryName() {
        return "tables/" + sqlName + ".jsonl";
    }

    List<Column> columns() {
        return columns;
    }

    /** Whether the table's {@code Id} is an identity column, which a restore may keep or let the database assign. */
    boolean hasIdentity() {
        return columns.getFirst().kind() == Column.Kind.ID;
    }

    int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    String selectAll() {
        return "SELECT " + String.join(", ", columns.stream().map(Column::name).toList()) + " FROM " + sqlName
                + " ORDER BY " + orderBy;
    }

    /** The insert of one row, with the identity column or without it (the database assigns it). */
    String insert(boolean withIdentity) {
        List<Column> written = written(withIdentity);
        return "INSERT INTO " + sqlName + " (" + String.join(", ", written.stream().map(Column::name).toList())
                + ") VALUES (" + String.join(", ", written.stream().map(c -> "?").toList()) + ")";
    }

    /** The columns {@link #insert} binds, in order. */
    List<Column> written(boolean withIdentity) {
        return withIdentity || !hasIdentity() ? columns : columns.subList(1, columns.size());
    }

    static BackupTable byEntryName(String entryName) {
        for (BackupTable t : values()) {
            if (t.entryName().equals(entryName)) {
                return t;
            }
        }
        return null;
    }

    static BackupTable bySqlName(String sqlName) {
        for (BackupTable t : values()) {
            if (t.sqlName.equalsIgnoreCase(sqlName)) {
                return t;
            }
        }
        return null;
    }

    private static Column id() {
        return new Column("Id", Column.Kind.ID, null);
    }

    private static Column text(String name) {
        return new Column(name, Column.Kind.TEXT, null);
    }

    private static Column photo(String name) {
        return new Column(name, Column.Kind.PHOTO, null);
    }

    private static Column time(String name) {
        return new Column(name, Column.Kind.TIMESTAMP, null);
    }

    private static Column number(String name) {
        return new Column(name, Column.Kind.NUMBER, null);
    }

    private static Column decimal(String name) {
        return new Column(name, Column.Kind.DECIMAL, null);
    }

    private static Column bool(String name) {
        return new Column(name, Column.Kind.BOOLEAN, null);
    }

    private static Column ref(String name, String table) {
        return new Column(name, Column.Kind.NUMBER, table);
    }
}

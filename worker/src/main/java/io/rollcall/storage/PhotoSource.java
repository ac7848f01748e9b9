package io.rollcall.storage;

import java.util.Objects;

/**
 * Where a photo of the old system is kept: an old {@code FaceData} row's {@code ImageData}, or the portrait in a
 * {@code Student}/{@code Teacher} row. The bytes are read separately ({@link MigrationRepository#photo}), one at a
 * time.
 *
 * @param table        the table holding it
 * @param rowId        that row's {@code Id}
 * @param originalName the old row's {@code OriginalName}, or null (portraits have none)
 * @param contentType  the old row's {@code ContentType}, or null
 */
public record PhotoSource(Table table, long rowId, String originalName, String contentType) {

    public PhotoSource {
        Objects.requireNonNull(table, "table");
    }

    /** The tables photos come from, by the name recorded in {@code RollcallMigratedSamples.SourceTable}. */
    public enum Table {
        FACE_DATA("FaceData"), STUDENT("Student"), TEACHER("Teacher");

        private final String sqlName;

        Table(String sqlName) {
            this.sqlName = sqlName;
        }

        public String sqlName() {
            return sqlName;
        }

        static Table of(String sqlName) {
            for (Table t : values()) {
                if (t.sqlName.equalsIgnoreCase(sqlName == null ? "" : sqlName.strip())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown photo source table " + sqlName);
        }
    }

    /** {@code FaceData 17} or {@code Student 4}, for reports. */
    public String label() {
        return table.sqlName() + " " + rowId;
    }
}

package io.rollcall.backup;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}, the archive's last entry: what the backup holds and the SHA-256 of every other entry. A
 * restore checks every entry against it before writing anything.
 *
 * @param format          always {@value #FORMAT}
 * @param formatVersion   the archive layout's version ({@value #VERSION}); a reader refuses a newer one
 * @param createdAt       when the snapshot was taken (ISO 8601 instant)
 * @param sourceDatabase  the database family it was taken from ({@code H2}, {@code MYSQL}, {@code SQLSERVER})
 * @param images          whether photos are included ({@code --no-images} leaves them out)
 * @param recognitionLogs whether {@code FaceRecognitionLogs} is included
 * @param modelPacks      {@code FaceData} rows per descriptor pack ({@code legacy}: the old system's arrays)
 * @param entries         every table entry, in restore order
 */
record BackupManifest(String format, int formatVersion, String createdAt, String sourceDatabase, boolean images,
                      boolean recognitionLogs, Map<String, Long> modelPacks, List<Entry> entries) {
    static final String FORMAT = "rollcall-backup";
    static final int VERSION = 1;
    static final String ENTRY_NAME = "manifest.json";

    /**
     * @param sha256 hex SHA-256 of the entry's bytes (uncompressed)
     */
    record Entry(String name, String table, long rows, long bytes, String sha256) {
    }

    long rows(BackupTable table) {
        return entries.stream().filter(e -> e.name().equals(table.entryName())).mapToLong(Entry::rows).sum();
    }
}

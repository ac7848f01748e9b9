package io.rollcall.backup;

import java.nio.file.Path;
import java.util.Map;

/**
 * A backup written.
 *
 * @param rows       rows per table, in restore order
 * @param modelPacks {@code FaceData} rows per descriptor pack ({@code legacy}: the old system's arrays)
 */
public record BackupReport(Path file, long bytes, String createdAt, String sourceDatabase, boolean images,
                           boolean recognitionLogs, Map<String, Long> rows, Map<String, Long> modelPacks) {
}

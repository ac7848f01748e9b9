package io.rollcall.bulk;

import java.nio.file.Path;

/**
 * How bulk-import jobs run.
 *
 * @param importDir     {@code BULK_IMPORT_DIR}, default {@code ${DATA_DIR}/import}: where photos are read from; with
 *                      several workers, a folder (volume) they all see at this path; absolute
 * @param maxImageBytes the largest photo a row may name ({@code MAX_IMAGE_BYTES})
 * @param workerId      names this worker in the jobs' progress
 */
public record BulkImportSettings(Path importDir, long maxImageBytes, String workerId) {
    public BulkImportSettings {
        importDir = importDir.toAbsolutePath().normalize();
    }
}

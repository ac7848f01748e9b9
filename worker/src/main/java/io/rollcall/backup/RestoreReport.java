package io.rollcall.backup;

import java.util.Map;

/**
 * A restore done, or a backup checked ({@code mode} null: nothing written).
 *
 * @param tables     per table, in restore order
 * @param modelPacks the backup's {@code FaceData} rows per descriptor pack
 */
public record RestoreReport(RestoreMode mode, String createdAt, String sourceDatabase, boolean images,
                            boolean recognitionLogs, Map<String, Counts> tables, Map<String, Long> modelPacks) {

    /**
     * @param inBackup rows the backup holds
     * @param inserted rows written
     * @param matched  rows the database already had (merge), not written again
     * @param deleted  rows removed first (replace)
     * @param idsKept  whether inserted rows kept their ids from the backup
     */
    public record Counts(long inBackup, long inserted, long matched, long deleted, boolean idsKept) {
    }
}

package io.rollcall.storage;

import java.time.LocalDateTime;

/**
 * One run of the migration, as {@code RollcallMigrationBatches} records it.
 *
 * @param finishedAt   when the run ended with every selected person tried; null while running or when it stopped
 * @param rolledBackAt when its rows were deleted again; null when they were not
 */
public record MigrationBatch(String batchId, String modelPack, LocalDateTime startedAt, LocalDateTime finishedAt,
                             LocalDateTime rolledBackAt) {
}

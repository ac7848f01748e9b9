package io.rollcall.migrate;

/**
 * What rolling back a migration batch did.
 *
 * @param kind              always {@code rollback}: tells this report from a run's ({@link MigrationReport#kind})
 * @param persons           people whose rows the batch had created
 * @param samplesDeleted    {@code FaceData} rows deleted: exactly those the batch created and that were still there
 * @param alreadyRolledBack the batch had been rolled back before (then nothing was left to delete)
 */
public record RollbackReport(String kind, String batchId, int persons, int samplesDeleted, boolean alreadyRolledBack) {

    static RollbackReport of(String batchId, int persons, int samplesDeleted, boolean alreadyRolledBack) {
        return new RollbackReport("rollback", batchId, persons, samplesDeleted, alreadyRolledBack);
    }
}

package io.rollcall.migrate;

/**
 * How far a run or a rollback has come.
 *
 * @param total              people the run selected (a rollback: people the batch touched)
 * @param done               of them, how many are finished
 * @param migrated           of the finished, how many are now recognisable (a rollback: how many were rolled back)
 * @param withoutUsablePhoto of the finished, how many have no usable photo (listed for re-enrollment)
 */
public record MigrationProgress(int total, int done, int migrated, int withoutUsablePhoto) {
}

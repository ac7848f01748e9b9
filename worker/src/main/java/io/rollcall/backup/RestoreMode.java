package io.rollcall.backup;

/** How a restore meets what the database already holds. */
public enum RestoreMode {
    /**
     * Adds what is missing and changes nothing that is there: a person, session, sample, attendance or log row the
     * database already has (by its natural key, not its id) is kept as it is and not added again. Every row added
     * gets a new id from the database; references between restored rows follow them. Restoring the same backup
     * twice adds nothing the second time.
     */
    MERGE,
    /**
     * Empties every table the backup covers and fills it with the backup's rows, ids included, so the database
     * holds exactly what was backed up. One exception: when {@code FaceData} held rows before, restored samples get
     * new ids, so that running workers' reconciliation sees them as new rows rather than as rows they already hold.
     */
    REPLACE
}

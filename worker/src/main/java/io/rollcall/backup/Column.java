package io.rollcall.backup;

/**
 * One column of a {@link BackupTable}: how it is read, written to the archive and bound again.
 *
 * @param references for a column holding another table's {@code Id}, that table's name, so a restore that gives
 *                   rows new ids can rewrite the reference; {@link #BY_SOURCE_TABLE} when the row's
 *                   {@code SourceTable} names it; null otherwise
 */
record Column(String name, Kind kind, String references) {
    /** {@code RollcallMigratedSamples.SourceId} points into the table its row's {@code SourceTable} names. */
    static final String BY_SOURCE_TABLE = "(SourceTable)";

    enum Kind {
        /** The table's identity column ({@code Long}). */
        ID,
        /** An integer ({@code Long}). */
        NUMBER,
        /** Text of any length ({@code String}). */
        TEXT,
        /** A photo ({@code byte[]}), left out of a backup made with {@code --no-images}. */
        PHOTO,
        /** School-local wall time ({@code LocalDateTime}), written as ISO 8601 without an offset. */
        TIMESTAMP,
        /** An exact decimal ({@code BigDecimal}), written as a string so no digit is lost. */
        DECIMAL,
        /** {@code Boolean}. */
        BOOLEAN
    }
}

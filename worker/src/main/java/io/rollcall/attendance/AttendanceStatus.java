package io.rollcall.attendance;

import java.util.Locale;

/** The values of {@code AttendanceRecords.Status}, as its CHECK constraint spells them. */
public enum AttendanceStatus {
    PRESENT("Present"),
    LATE("Late"),
    ABSENT("Absent");

    private final String databaseValue;

    AttendanceStatus(String databaseValue) {
        this.databaseValue = databaseValue;
    }

    /** The exact text stored in the column. */
    public String databaseValue() {
        return databaseValue;
    }

    /**
     * The status a stored value means, read leniently because the school's own system writes the column too: case
     * and padding are ignored, and any other text counts as present (the row says the student was there).
     */
    public static AttendanceStatus fromDatabaseValue(String stored) {
        String value = stored == null ? "" : stored.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "late" -> LATE;
            case "absent" -> ABSENT;
            default -> PRESENT;
        };
    }
}

package io.rollcall.attendance;

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
}

package io.rollcall.attendance;

/** What recording a recognised student did to {@code AttendanceRecords}. */
public enum AttendanceOutcome {
    /** A new row was written. */
    RECORDED,
    /**
     * The school had marked the student {@code Absent} for the session (some schools pre-fill the register); the
     * row now says Present or Late. Still one row for the student and session.
     */
    UPGRADED_FROM_ABSENT,
    /** The student was already marked Present or Late (by Rollcall or by the school): nothing changed. */
    ALREADY_MARKED
}

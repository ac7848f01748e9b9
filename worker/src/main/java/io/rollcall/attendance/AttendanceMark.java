package io.rollcall.attendance;

/**
 * The result of recording a recognised student for a session.
 *
 * @param outcome            what happened
 * @param status             the status the record now holds, as stored ({@code Present}, {@code Late}, or whatever
 *                           an existing row of the school's says)
 * @param attendanceRecordId {@code AttendanceRecords.Id} of the student's record
 */
public record AttendanceMark(AttendanceOutcome outcome, String status, long attendanceRecordId) {

    /** True when this call wrote the mark, false when the student was already marked. */
    public boolean newlyRecorded() {
        return outcome != AttendanceOutcome.ALREADY_MARKED;
    }
}

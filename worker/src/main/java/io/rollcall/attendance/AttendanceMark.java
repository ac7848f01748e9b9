package io.rollcall.attendance;

import java.time.LocalDateTime;

/**
 * The result of recording a recognised student for a session.
 *
 * @param outcome            what happened
 * @param status             the status the record now holds ({@link AttendanceStatus#fromDatabaseValue} reads an
 *                           existing row of the school's)
 * @param attendanceRecordId {@code AttendanceRecords.Id} of the student's record
 * @param recognizedAt       school-local time of this recognition (for a new record, its {@code AttendanceDate})
 */
public record AttendanceMark(AttendanceOutcome outcome, AttendanceStatus status, long attendanceRecordId,
                             LocalDateTime recognizedAt) {

    /** True when this call wrote the mark, false when the student was already marked. */
    public boolean newlyRecorded() {
        return outcome != AttendanceOutcome.ALREADY_MARKED;
    }
}

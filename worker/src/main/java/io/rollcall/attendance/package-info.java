/**
 * Attendance from recognition: {@link io.rollcall.attendance.AttendanceRecorder} marks a recognised student
 * Present or Late for a session in the school's {@code AttendanceRecords}, once per student and session.
 * {@link io.rollcall.attendance.AttendanceSettings} holds the grace period, the school's clock and the
 * Present/Late rule.
 */
package io.rollcall.attendance;

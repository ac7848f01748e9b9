package io.rollcall.attendance;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The attendance rule's settings.
 *
 * @param gracePeriod {@code ATTENDANCE_GRACE_MINUTES}: how long after a session's start a student still counts as
 *                    on time
 * @param schoolZone  {@code SCHOOL_TIMEZONE}: the clock of the school database's DATETIME columns (session start
 *                    times, attendance and log dates)
 */
public record AttendanceSettings(Duration gracePeriod, ZoneId schoolZone) {

    /** A day: any longer and "late" would mean nothing. */
    static final int MAX_GRACE_MINUTES = 24 * 60;

    public AttendanceSettings {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(schoolZone, "schoolZone");
        if (gracePeriod.isNegative() || gracePeriod.compareTo(Duration.ofMinutes(MAX_GRACE_MINUTES)) > 0) {
            throw outOfRange(gracePeriod.toMinutes());
        }
    }

    /** Checks the range before {@link Duration#ofMinutes}, which overflows on absurd values. */
    public static AttendanceSettings ofMinutes(long graceMinutes, ZoneId schoolZone) {
        if (graceMinutes < 0 || graceMinutes > MAX_GRACE_MINUTES) {
            throw outOfRange(graceMinutes);
        }
        return new AttendanceSettings(Duration.ofMinutes(graceMinutes), schoolZone);
    }

    private static IllegalArgumentException outOfRange(long minutes) {
        return new IllegalArgumentException(
                "ATTENDANCE_GRACE_MINUTES must be between 0 and " + MAX_GRACE_MINUTES + ", got " + minutes);
    }

    /**
     * The rule: recognised no later than start + grace period is {@link AttendanceStatus#PRESENT} (the boundary
     * itself included, and any time before the start); strictly after it is {@link AttendanceStatus#LATE}.
     */
    public AttendanceStatus statusFor(LocalDateTime sessionStart, LocalDateTime recognizedAt) {
        return recognizedAt.isAfter(sessionStart.plus(gracePeriod)) ? AttendanceStatus.LATE : AttendanceStatus.PRESENT;
    }
}

package io.rollcall.attendance;

import io.rollcall.config.EnvSettings;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Objects;

/**
 * The attendance rule's settings, from the environment.
 *
 * @param gracePeriod {@code ATTENDANCE_GRACE_MINUTES} (default {@value #DEFAULT_GRACE_MINUTES}): how long after a
 *                    session's start a student still counts as on time
 */
public record AttendanceSettings(Duration gracePeriod) {

    public static final String ATTENDANCE_GRACE_MINUTES = "ATTENDANCE_GRACE_MINUTES";
    public static final int DEFAULT_GRACE_MINUTES = 10;
    /** A day: any longer and "late" would mean nothing. */
    static final int MAX_GRACE_MINUTES = 24 * 60;

    public AttendanceSettings {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        if (gracePeriod.isNegative() || gracePeriod.compareTo(Duration.ofMinutes(MAX_GRACE_MINUTES)) > 0) {
            throw outOfRange(gracePeriod.toMinutes());
        }
    }

    public static AttendanceSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static AttendanceSettings from(Map<String, String> environment) {
        long minutes = new EnvSettings(environment).integer(ATTENDANCE_GRACE_MINUTES, DEFAULT_GRACE_MINUTES);
        if (minutes < 0 || minutes > MAX_GRACE_MINUTES) {
            throw outOfRange(minutes); // before Duration.ofMinutes, which overflows on absurd values
        }
        return new AttendanceSettings(Duration.ofMinutes(minutes));
    }

    private static IllegalArgumentException outOfRange(long minutes) {
        return new IllegalArgumentException(
                ATTENDANCE_GRACE_MINUTES + " must be between 0 and " + MAX_GRACE_MINUTES + ", got " + minutes);
    }

    /**
     * The rule: recognised no later than start + grace period is {@link AttendanceStatus#PRESENT} (the boundary
     * itself included, and any time before the start); strictly after it is {@link AttendanceStatus#LATE}.
     */
    public AttendanceStatus statusFor(LocalDateTime sessionStart, LocalDateTime recognizedAt) {
        return recognizedAt.isAfter(sessionStart.plus(gracePeriod)) ? AttendanceStatus.LATE : AttendanceStatus.PRESENT;
    }
}

package io.rollcall.attendance;

import java.time.ZoneId;
import io.rollcall.worker.WorkerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttendanceSettingsTest {

    private static final LocalDateTime START = LocalDateTime.of(2026, 3, 2, 8, 0);

    @Test
    void defaultsToTenMinutesOfGrace() {
        assertThat(WorkerConfig.from(Map.of(), null).attendance()).isEqualTo(new AttendanceSettings(Duration.ofMinutes(10), ZoneId.systemDefault()));
        assertThat(WorkerConfig.from(Map.of("ATTENDANCE_GRACE_MINUTES", " 0 "), null).attendance().gracePeriod()).isZero();
    }

    @Test
    void isPresentThroughTheBoundaryAndLateStrictlyAfterIt() {
        AttendanceSettings settings = WorkerConfig.from(Map.of("ATTENDANCE_GRACE_MINUTES", "15"), null).attendance();

        assertThat(settings.statusFor(START, START.minusHours(1))).isEqualTo(AttendanceStatus.PRESENT);
        assertThat(settings.statusFor(START, START.plusMinutes(15))).isEqualTo(AttendanceStatus.PRESENT);
        assertThat(settings.statusFor(START, START.plusMinutes(15).plusNanos(1))).isEqualTo(AttendanceStatus.LATE);
    }

    @Test
    void rejectsAGracePeriodOutsideADay() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WorkerConfig.from(Map.of("ATTENDANCE_GRACE_MINUTES", "-1"), null).attendance())
                .withMessage("ATTENDANCE_GRACE_MINUTES must be between 0 and 1440, got -1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WorkerConfig.from(Map.of("ATTENDANCE_GRACE_MINUTES", "ten"), null).attendance())
                .withMessage("ATTENDANCE_GRACE_MINUTES must be an integer, got 'ten'");
    }
}

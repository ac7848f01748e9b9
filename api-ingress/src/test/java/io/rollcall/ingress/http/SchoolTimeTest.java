package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchoolTimeTest {

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
            "2026-03-02T07:03:00Z, Europe/Amsterdam, 2026-03-02T08:03:00+01:00",
            "2026-07-02T06:03:00.999Z, Europe/Amsterdam, 2026-07-02T08:03:00+02:00",
            "2026-03-02T07:03:00Z, UTC, 2026-03-02T07:03:00+00:00",
            "2026-03-02T07:03:00Z, Asia/Kolkata, 2026-03-02T12:33:00+05:30",
            "2026-03-02T07:03:00Z, America/New_York, 2026-03-02T02:03:00-05:00",
    })
    void writesTheWallClockToTheSecondWithTheSchoolsOffsetThen(Instant instant, String zone, String written) {
        String text = new SchoolTime(ZoneId.of(zone)).toSecond(instant);

        assertThat(text).isEqualTo(written);
        assertThat(OffsetDateTime.parse(text).toInstant()).isEqualTo(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void writesEventTimesToTheMillisecond() {
        SchoolTime time = new SchoolTime(ZoneId.of("Europe/Amsterdam"));

        assertThat(time.toMillisecond(Instant.parse("2026-11-21T08:00:02Z"))).isEqualTo("2026-11-21T09:00:02.000+01:00");
        assertThat(time.toMillisecond(Instant.parse("2026-11-21T08:00:02.25Z"))).isEqualTo("2026-11-21T09:00:02.250+01:00");
    }

    @Test
    void noTimeStaysNoTime() {
        SchoolTime time = new SchoolTime(ZoneId.of("UTC"));

        assertThat(time.toSecond(null)).isNull();
        assertThat(time.toMillisecond(null)).isNull();
    }
}

package io.rollcall.ingress.http;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times in responses: ISO 8601 with the school's UTC offset at that instant ({@code 2026-03-02T08:03:00+01:00}),
 * so that any client ({@code new Date(...)} in Node.js included) reads the right instant, while the wall-clock
 * part stays what the school's DATETIME columns show. Seconds are always written, the offset always as
 * {@code ±hh:mm} ({@code +00:00}, not {@code Z}), so every time has one shape.
 *
 * @param zone {@code SCHOOL_TIMEZONE}
 */
public record SchoolTime(ZoneId zone) {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
    private static final DateTimeFormatter MILLISECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx", Locale.ROOT);

    /** To the second, as a DATETIME column holds it (enrollment and attendance times); null stays null. */
    public String toSecond(Instant instant) {
        return instant == null ? null : SECONDS.format(instant.atZone(zone));
    }

    /** To the millisecond, for times whose order within a second matters (a bulk job's updates); null stays null. */
    public String toMillisecond(Instant instant) {
        return instant == null ? null : MILLISECONDS.format(instant.atZone(zone));
    }
}

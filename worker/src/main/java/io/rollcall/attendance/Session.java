package io.rollcall.attendance;

import java.time.LocalDateTime;

/**
 * The part of a {@code Sessions} row the attendance rule needs. Rollcall reads only {@code Id} and
 * {@code StartTime}, so a school's own {@code Sessions} table works whatever other columns it has.
 *
 * @param id        {@code Sessions.Id}
 * @param startTime {@code Sessions.StartTime}, school-local time
 */
public record Session(long id, LocalDateTime startTime) {
}

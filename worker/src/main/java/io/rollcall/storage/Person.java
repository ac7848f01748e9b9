package io.rollcall.storage;

import io.rollcall.person.PersonRef;

/**
 * A row of the school's {@code Student} or {@code Teacher} table, as far as Rollcall needs it.
 *
 * @param ref  type and code, stripped of the {@code nchar(10)} padding
 * @param name {@code StudentName}/{@code TeacherName}, or the nickname when the name is empty; null when both are
 */
public record Person(PersonRef ref, String name) {
}

package io.rollcall.person;

import java.util.Objects;

/**
 * Identifies one enrolled person: the type and the school's code ({@code StudentCode} / {@code TeacherCode}).
 *
 * <p>The code is kept stripped of surrounding whitespace: the columns are {@code nchar(10)}, which the database
 * pads with trailing spaces, so {@code "S001"} and {@code "S001      "} must be the same person.
 *
 * @param type person type
 * @param code person code, 1 to {@value #MAX_CODE_LENGTH} characters after stripping
 */
public record PersonRef(PersonType type, String code) {

    /** Width of the {@code nchar(10)} code columns (UTF-16 code units, as {@link String#length()} counts). */
    public static final int MAX_CODE_LENGTH = 10;

    public PersonRef {
        Objects.requireNonNull(type, "person type");
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("person code must not be blank");
        }
        code = code.strip();
        if (code.length() > MAX_CODE_LENGTH) {
            throw new IllegalArgumentException(
                    "person code must be at most " + MAX_CODE_LENGTH + " characters, got " + code.length());
        }
        for (int i = 0; i < code.length(); i++) {
            if (Character.isISOControl(code.charAt(i))) {
                throw new IllegalArgumentException("person code must not contain control characters");
            }
        }
    }

    public static PersonRef student(String code) {
        return new PersonRef(PersonType.STUDENT, code);
    }

    public static PersonRef teacher(String code) {
        return new PersonRef(PersonType.TEACHER, code);
    }

    @Override
    public String toString() {
        return type.wireName() + ":" + code;
    }
}

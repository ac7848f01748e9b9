package io.rollcall.person;

/**
 * Who a face belongs to. The wire names are the values of the {@code FaceData.PersonType} column and of the
 * API's {@code person_type} field, both constrained to exactly {@code 'student'} and {@code 'teacher'}.
 */
public enum PersonType {
    STUDENT("student"),
    TEACHER("teacher");

    private final String wireName;

    PersonType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in JSON and in the database: {@code "student"} or {@code "teacher"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name. Strict on purpose: the database CHECK constraint accepts only the exact lower-case
     * names, so {@code "Student"} or {@code " student"} are rejected here rather than failing later at insert.
     *
     * @throws IllegalArgumentException for null or any other text
     */
    public static PersonType fromWireName(String text) {
        for (PersonType type : values()) {
            if (type.wireName.equals(text)) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "person_type must be 'student' or 'teacher', got " + (text == null ? "null" : "'" + text + "'"));
    }
}

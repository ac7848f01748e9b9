package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import java.util.Optional;

/**
 * Where the school keeps each person type. The names are fixed identifiers, never input, so SQL may be composed
 * from them.
 */
enum PersonTable {
    STUDENT("Student", "StudentCode", "StudentName", "StudentNickname", "StudentImage", "Form"),
    TEACHER("Teacher", "TeacherCode", "TeacherName", "TeacherNickname", "TeacherImage", null);

    final String table;
    final String codeColumn;
    final String nameColumn;
    final String nicknameColumn;
    /** The portrait ({@code image} / {@code BLOB}). */
    final String imageColumn;
    /** The class ({@code Student.Form}); null for teachers, who have none. */
    final String formColumn;

    PersonTable(String table, String codeColumn, String nameColumn, String nicknameColumn, String imageColumn,
                String formColumn) {
        this.table = table;
        this.codeColumn = codeColumn;
        this.nameColumn = nameColumn;
        this.nicknameColumn = nicknameColumn;
        this.imageColumn = imageColumn;
        this.formColumn = formColumn;
    }

    static PersonTable of(PersonType type) {
        return type == PersonType.STUDENT ? STUDENT : TEACHER;
    }

    /** Code, name and nickname of every row, oldest first; {@code where} is appended verbatim. */
    String selectPeople(String where) {
        return "SELECT " + codeColumn + ", " + nameColumn + ", " + nicknameColumn + " FROM " + table + " "
                + where + " ORDER BY Id";
    }

    /** The display name of a row: the name, else the nickname, else null. */
    static String displayName(String name, String nickname) {
        if (name != null && !name.isBlank()) {
            return name.strip();
        }
        if (nickname != null && !nickname.isBlank()) {
            return nickname.strip();
        }
        return null;
    }

    /**
     * The person a stored type and code denote, or empty when the row cannot be one (a type other than the two
     * wire names, a blank code): rows written by other systems are read, never trusted.
     */
    static Optional<PersonRef> parse(String type, String code) {
        try {
            return Optional.of(new PersonRef(PersonType.fromWireName(type == null ? null : type.strip()), code));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}

package io.rollcall.cli;

import io.rollcall.person.PersonType;
import java.util.Optional;

/** {@code --person-type student|teacher|all}, spelt as on the command line (picocli matches constants by name). */
enum PersonScope {
    student, teacher, all;

    /** The one type, or empty for both. */
    Optional<PersonType> only() {
        return switch (this) {
            case student -> Optional.of(PersonType.STUDENT);
            case teacher -> Optional.of(PersonType.TEACHER);
            case all -> Optional.empty();
        };
    }
}

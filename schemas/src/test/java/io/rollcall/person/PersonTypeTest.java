package io.rollcall.person;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PersonTypeTest {

    @Test
    void wireNamesAreTheDatabaseValues() {
        assertThat(PersonType.STUDENT.wireName()).isEqualTo("student");
        assertThat(PersonType.TEACHER.wireName()).isEqualTo("teacher");
    }

    @Test
    void parsesEachWireNameBackToItsType() {
        for (PersonType type : PersonType.values()) {
            assertThat(PersonType.fromWireName(type.wireName())).isSameAs(type);
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Student", "STUDENT", " student", "student ", "teachers", "staff", "all"})
    void rejectsAnythingButTheExactLowerCaseNames(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PersonType.fromWireName(text))
                .withMessageStartingWith("person_type must be 'student' or 'teacher', got ");
    }
}

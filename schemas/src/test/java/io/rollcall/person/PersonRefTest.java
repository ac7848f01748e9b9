package io.rollcall.person;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class PersonRefTest {

    @Test
    void treatsTheNcharPaddedCodeAsTheSamePerson() {
        PersonRef padded = PersonRef.student("S001      ");

        assertThat(padded.code()).isEqualTo("S001");
        assertThat(padded).isEqualTo(new PersonRef(PersonType.STUDENT, "S001"));
    }

    @Test
    void distinguishesAStudentFromATeacherWithTheSameCode() {
        assertThat(PersonRef.student("X1")).isNotEqualTo(PersonRef.teacher("X1"));
    }

    @Test
    void acceptsACodeOfExactlyTenCharacters() {
        assertThat(PersonRef.teacher("T123456789").code()).isEqualTo("T123456789");
    }

    @Test
    void rejectsACodeLongerThanTheColumn() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PersonRef.student("S1234567890"))
                .withMessage("person code must be at most 10 characters, got 11");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "          ", "\t"})
    void rejectsABlankCode(String code) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PersonRef.student(code))
                .withMessage("person code must not be blank");
    }

    @Test
    void rejectsControlCharactersInsideTheCode() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PersonRef.student("S0\n01"))
                .withMessage("person code must not contain control characters");
    }

    @Test
    void requiresAType() {
        assertThatNullPointerException().isThrownBy(() -> new PersonRef(null, "S001"));
    }

    @Test
    void printsTypeAndCode() {
        assertThat(PersonRef.teacher("T7")).hasToString("teacher:T7");
    }
}

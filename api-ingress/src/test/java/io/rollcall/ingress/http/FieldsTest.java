package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Codes and names are stored as a reader sees them: in NFC, without invisible characters, and codes without look-alike
 * spaces. Every way a person enters the service (JSON, form upload, CSV row) passes through these rules.
 */
class FieldsTest {

    private static RollcallException refusal(Runnable call) {
        try {
            call.run();
        } catch (RollcallException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what | code | message
            "zero-width space inside | 'S0\u200B01' | person_code must not contain invisible format characters (zero-width, bidirectional controls) (U+200B, character 3)",
            "zero-width joiner at the end | 'S001\u200D' | person_code must not contain invisible format characters (zero-width, bidirectional controls) (U+200D, character 5)",
            "right-to-left override | '\u202E100S' | person_code must not contain invisible format characters (zero-width, bidirectional controls) (U+202E, character 1)",
            "byte-order mark | '\uFEFFS001' | person_code must not contain invisible format characters (zero-width, bidirectional controls) (U+FEFF, character 1)",
            "no-break space padding | 'S001\u00A0' | person_code must not contain spaces other than the ASCII space (U+00A0, character 5)",
            "narrow no-break space inside | 'S\u202F001' | person_code must not contain spaces other than the ASCII space (U+202F, character 2)",
            "ideographic space | '\u3000S001' | person_code must not contain spaces other than the ASCII space (U+3000, character 1)",
            "line separator | 'S0\u202801' | person_code must not contain line or paragraph separators (U+2028, character 3)",
            "delete | 'S0\u007F01' | person_code must not contain control characters (U+007F, character 3)",
            "C1 control | 'S0\u008501' | person_code must not contain control characters (U+0085, character 3)",
    })
    void aCodeThatCouldLookLikeAnotherIsRefused(String what, String code, String message) {
        RollcallException e = refusal(() -> Fields.person("student", code));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.details()).containsEntry("field", "person_code");
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void anUnpairedSurrogateIsRefused() {
        assertThat(refusal(() -> Fields.person("student", "S\uD800001")).getMessage())
                .isEqualTo("person_code must not contain unpaired surrogates (U+D800, character 2)");
    }

    @Test
    void codesAreNormalisedToNfcAndStrippedOfAsciiPadding() {
        assertThat(Fields.person("student", "  Ame\u0301lie ")).isEqualTo(PersonRef.student("Am\u00E9lie"));
        assertThat(Fields.person("teacher", "T 01")).isEqualTo(PersonRef.teacher("T 01"));
    }

    @Test
    void aCodeIsMeasuredAfterNormalisation() {
        // Ten characters composed, eleven decomposed: the school's nchar(10) holds the composed form.
        assertThat(Fields.person("student", "E\u0301COLE12345").code()).isEqualTo("\u00C9COLE12345");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "right-to-left override | 'Ada \u202ELovelace' | person_name must not contain invisible format characters (zero-width, bidirectional controls) (U+202E, character 5)",
            "left-to-right isolate | 'Ada \u2066Lovelace' | person_name must not contain invisible format characters (zero-width, bidirectional controls) (U+2066, character 5)",
            "zero-width space | 'Ada\u200BLovelace' | person_name must not contain invisible format characters (zero-width, bidirectional controls) (U+200B, character 4)",
            "joiner beside a space | 'Ada \u200DLovelace' | person_name must not contain invisible format characters (zero-width, bidirectional controls) (U+200D, character 5)",
            "line separator | 'Ada\u2028Lovelace' | person_name must not contain line or paragraph separators (U+2028, character 4)",
            "paragraph separator | 'Ada\u2029Lovelace' | person_name must not contain line or paragraph separators (U+2029, character 4)",
            "tab | 'Ada\tLovelace' | person_name must not contain control characters (U+0009, character 4)",
            "escape | 'Ada\u001B[2JLovelace' | person_name must not contain control characters (U+001B, character 4)",
    })
    void aNameWithInvisibleCharactersIsRefused(String what, String name, String message) {
        RollcallException e = refusal(() -> Fields.personName(name));

        assertThat(e.details()).containsEntry("field", "person_name");
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void namesAreNormalisedToNfcAndKeepTheJoinersTheirScriptsNeed() {
        assertThat(Fields.personName("Zoe\u0308")).isEqualTo("Zo\u00EB");
        // Persian: a zero-width non-joiner between two letters is part of the name's spelling.
        assertThat(Fields.personName("\u0645\u062D\u0645\u062F\u200C\u0631\u0636\u0627")).isEqualTo("\u0645\u062D\u0645\u062F\u200C\u0631\u0636\u0627");
        // Devanagari: a joiner after a virama (a combining mark) chooses the conjunct's shape.
        assertThat(Fields.personName("\u0915\u094D\u200D\u0937\u092E\u093E")).isEqualTo("\u0915\u094D\u200D\u0937\u092E\u093E");
        assertThat(Fields.personName("Jos\u00E9\u00A0Mar\u00EDa")).isEqualTo("Jos\u00E9\u00A0Mar\u00EDa");
    }

    @Test
    void fileNamesFollowTheSameRulesAsNames() {
        assertThat(refusal(() -> Fields.optionalText("original_name", "photo\u202Egpj.exe", 255)).getMessage())
                .isEqualTo("original_name must not contain invisible format characters (zero-width, bidirectional controls) (U+202E, character 6)");
    }

    @Test
    void theThresholdHasAFloor() {
        assertThat(Fields.threshold(0.3, 0.3)).isEqualTo(0.3);
        assertThat(Fields.threshold(null, 0.3)).isNull();
        assertThatThrownBy(() -> Fields.threshold(0.2999, 0.3)).isInstanceOf(RollcallException.class)
                .hasMessage("similarity_threshold must be at least 0.3 (MIN_SIMILARITY_THRESHOLD): lower thresholds match"
                        + " strangers to enrolled people, got 0.2999");
    }
}

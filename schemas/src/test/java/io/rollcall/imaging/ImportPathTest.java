package io.rollcall.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImportPathTest {

    @Test
    void acceptsARelativeSlashSeparatedPath() {
        ImportPath path = new ImportPath("student/S001_Ada Lovelace/1.jpg");

        assertThat(path.segments()).containsExactly("student", "S001_Ada Lovelace", "1.jpg");
        assertThat(path.fileName()).isEqualTo("1.jpg");
    }

    @ParameterizedTest
    @ValueSource(strings = {"photo.jpg", "a/b/c/d.png", "..photo.jpg", "photos../x.jpg", "café/été.webp", "photo:1.jpg"})
    void acceptsPlainNamesThatOnlyLookUnusual(String value) {
        assertThat(new ImportPath(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "/etc/passwd            | image_path must be relative to the import folder, not absolute: '/etc/passwd'",
            "C:/photos/a.jpg        | image_path must be relative to the import folder, not absolute: 'C:/photos/a.jpg'",
            "../secret.jpg          | image_path must not contain '..' segments",
            "student/../../x.jpg    | image_path must not contain '..' segments",
            "student/..             | image_path must not contain '..' segments",
            "./a.jpg                | image_path must not contain '.' segments",
            "student//a.jpg         | image_path must not contain an empty folder name ('//' or a trailing '/')",
            "student/               | image_path must not contain an empty folder name ('//' or a trailing '/')",
            "student\\a.jpg         | image_path must separate folders with '/', not '\\'"})
    void refusesPathsThatCouldLeaveTheFolder(String value, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> new ImportPath(value)).withMessage(message);
    }

    @Test
    void refusesEmptyTooLongAndControlCharacters() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ImportPath("")).withMessage("image_path is required");
        assertThatIllegalArgumentException().isThrownBy(() -> new ImportPath(null)).withMessage("image_path is required");
        assertThatIllegalArgumentException().isThrownBy(() -> new ImportPath("a".repeat(252) + ".jpg"))
                .withMessage("image_path must be at most 255 characters, got 256");
        assertThat(new ImportPath("a".repeat(251) + ".jpg").value()).hasSize(255);
        assertThatIllegalArgumentException().isThrownBy(() -> new ImportPath("a\u0000.jpg"))
                .withMessage("image_path must not contain control characters");
    }
}

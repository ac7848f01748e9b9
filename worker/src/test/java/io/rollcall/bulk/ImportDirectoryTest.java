package io.rollcall.bulk;

import io.rollcall.worker.WorkerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.testing.DevData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportDirectoryTest {
    private static final long MAX = 10L * 1024 * 1024;

    @TempDir
    Path temp;
    Path importDir;
    Path outside;
    ImportDirectory dir;

    @BeforeEach
    void photos() throws IOException {
        importDir = Files.createDirectories(temp.resolve("import"));
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.createDirectories(importDir.resolve("student/S001_Kofi Annan"));
        Files.copy(DevData.photo("kofi_annan/01.jpg"), importDir.resolve("student/S001_Kofi Annan/01.jpg"));
        Files.copy(DevData.photo("tom_hanks/01.jpg"), outside.resolve("secret.jpg"));
        dir = ImportDirectory.open(importDir);
    }

    @Test
    void readsAPhotoByItsPathRelativeToTheFolder() {
        assertThat(dir.read("student/S001_Kofi Annan/01.jpg", MAX)).isEqualTo(DevData.bytes("kofi_annan/01.jpg"));
    }

    @Test
    void refusesAbsolutePathsAndDotDotWithoutTouchingTheFileSystem() {
        String absolute = outside.resolve("secret.jpg").toString();
        assertInvalid(absolute, "image_path must be relative to the import folder, not absolute: '" + absolute + "'");
        assertInvalid("../outside/secret.jpg", "image_path must not contain '..' segments");
        assertInvalid("student/../../outside/secret.jpg", "image_path must not contain '..' segments");
    }

    @Test
    void refusesASymbolicLinkThatLeadsOutOfTheFolder() throws IOException {
        Files.createSymbolicLink(importDir.resolve("student/leak.jpg"), outside.resolve("secret.jpg"));
        Files.createSymbolicLink(importDir.resolve("teacher"), outside);

        assertInvalid("student/leak.jpg", "image_path 'student/leak.jpg' leads outside the import folder through a symbolic link");
        assertInvalid("teacher/secret.jpg", "image_path 'teacher/secret.jpg' leads outside the import folder through a symbolic link");
    }

    @Test
    void followsASymbolicLinkThatStaysInsideTheFolder() throws IOException {
        Files.createSymbolicLink(importDir.resolve("alias"), importDir.resolve("student"));

        assertThat(dir.read("alias/S001_Kofi Annan/01.jpg", MAX)).isEqualTo(DevData.bytes("kofi_annan/01.jpg"));
    }

    @Test
    void aMissingFileOrAFolderIsAValidationErrorOnImagePath() {
        assertInvalid("student/S002/01.jpg", "image_path 'student/S002/01.jpg': no such file in the import folder");
        assertInvalid("student/S001_Kofi Annan", "image_path 'student/S001_Kofi Annan' is not a file");
    }

    @Test
    void aPhotoOverTheByteLimitIsImageTooLarge() {
        long size = DevData.bytes("kofi_annan/01.jpg").length;

        assertThatThrownBy(() -> dir.read("student/S001_Kofi Annan/01.jpg", size - 1))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
                    assertThat(e.details()).containsEntry("bytes", size).containsEntry("limit", size - 1);
                });
        assertThat(dir.read("student/S001_Kofi Annan/01.jpg", size)).hasSize((int) size);
    }

    @Test
    void aMissingImportFolderMakesTheServiceUnavailableWithoutNamingServerPaths() {
        assertThatThrownBy(() -> ImportDirectory.open(temp.resolve("not-mounted")))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("The bulk import folder (BULK_IMPORT_DIR) does not exist on this worker");
                });
    }

    @Test
    void theDefaultFolderIsImportUnderTheDataFolder() {
        assertThat(WorkerConfig.from(java.util.Map.of("DATA_DIR", "/srv/rollcall"), null).bulkImportDir())
                .isEqualTo(Path.of("/srv/rollcall/import"));
        assertThat(WorkerConfig.from(java.util.Map.of("DATA_DIR", "/srv/rollcall", "BULK_IMPORT_DIR", "/mnt/photos/"), null).bulkImportDir())
                .isEqualTo(Path.of("/mnt/photos"));
        assertThat(WorkerConfig.from(java.util.Map.of(), null).bulkImportDir()).isEqualTo(Path.of("data/import").toAbsolutePath());
    }

    private AbstractThrowableAssert<?, ?> assertInvalid(String imagePath, String message) {
        return assertThatThrownBy(() -> dir.read(imagePath, MAX))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.details()).containsEntry("field", "image_path").containsEntry("image_path", imagePath);
                });
    }
}

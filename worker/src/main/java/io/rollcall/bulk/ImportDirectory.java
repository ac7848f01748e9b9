package io.rollcall.bulk;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.imaging.Base64Image;
import io.rollcall.imaging.ImportPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The import folder as one job sees it: turns an item's {@code image_path} into the photo's bytes, and refuses every
 * path that would read anything outside the folder. The text of the path is checked first ({@link ImportPath}: not
 * absolute, no {@code ..}); then the file's real location, with every symbolic link followed, must still lie
 * inside the folder's real location, so a link planted in the folder cannot expose {@code /etc} either. Error
 * messages name the path as the CSV gave it, never the server's absolute paths.
 */
final class ImportDirectory {
    private final Path root;

    private ImportDirectory(Path root) {
        this.root = root;
    }

    /**
     * The folder, resolved once per job.
     *
     * @throws RollcallException {@code SERVICE_UNAVAILABLE} when it does not exist or is not a folder on this worker
     */
    static ImportDirectory open(Path configured) {
        try {
            Path real = configured.toRealPath();
            if (!Files.isDirectory(real)) {
                throw unavailable("is not a folder");
            }
            return new ImportDirectory(real);
        } catch (NoSuchFileException e) {
            throw unavailable("does not exist");
        } catch (IOException e) {
            throw unavailable("cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static RollcallException unavailable(String why) {
        return new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "The bulk import folder (BULK_IMPORT_DIR) " + why
                + " on this worker", Map.of("setting", "BULK_IMPORT_DIR"));
    }

    /**
     * The photo's bytes.
     *
     * @throws RollcallException {@code VALIDATION_ERROR} (field {@code image_path}) for a path that is malformed,
     *                           leaves the folder, names no file or cannot be read; {@code IMAGE_TOO_LARGE} above
     *                           {@code maxBytes}
     */
    byte[] read(String imagePath, long maxBytes) {
        ImportPath path;
        try {
            path = new ImportPath(imagePath);
        } catch (IllegalArgumentException e) {
            throw invalid(imagePath, e.getMessage());
        }
        Path candidate = root.resolve(path.value()).normalize();
        if (!candidate.startsWith(root)) {
            throw invalid(imagePath, "image_path leads outside the import folder");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw invalid(imagePath, "image_path '" + imagePath + "': no such file in the import folder");
        } catch (IOException e) {
            throw invalid(imagePath, "image_path '" + imagePath + "' cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (!real.startsWith(root)) {
            throw invalid(imagePath, "image_path '" + imagePath + "' leads outside the import folder through a symbolic link");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw invalid(imagePath, "image_path '" + imagePath + "' is not a file");
        }
        // The real path has no links left; NOFOLLOW_LINKS refuses one swapped in for the file since.
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            // One byte past the limit tells an oversized file from one of exactly the limit, whatever its size
            // said a moment ago, without reading a huge file whole.
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            Base64Image.checkSize(bytes.length > maxBytes ? Math.max(bytes.length, Files.size(real)) : bytes.length, maxBytes);
            return bytes;
        } catch (AccessDeniedException e) {
            throw invalid(imagePath, "image_path '" + imagePath + "' cannot be read: permission denied");
        } catch (IOException e) {
            throw invalid(imagePath, "image_path '" + imagePath + "' cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static RollcallException invalid(String imagePath, String message) {
        return new RollcallException(ErrorCode.VALIDATION_ERROR, message,
                Map.of("field", "image_path", "image_path", imagePath == null ? "" : imagePath));
    }
}

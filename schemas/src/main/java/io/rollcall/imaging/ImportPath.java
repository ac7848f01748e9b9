package io.rollcall.imaging;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a bulk-import photo lies inside the workers' import folder ({@code BULK_IMPORT_DIR}), as
 * {@code BulkEnrollItem.image_path} names it: relative, {@code /}-separated, every segment a plain name. This is
 * the message contract's rule, checked on the text alone: the ingress refuses a CSV row that breaks it, and the
 * worker checks it again before it resolves the path against the folder (where symbolic links are its concern).
 *
 * @param value the path as written, for example {@code student/S001_Ada/1.jpg}
 */
public record ImportPath(String value) {
    /** {@code FaceData.OriginalName} is varchar(255), and the worker stores the path there. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    /** @throws IllegalArgumentException saying which rule the text breaks */
    public ImportPath {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("image_path is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("image_path must be at most " + MAX_LENGTH + " characters, got " + value.length());
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("image_path must not contain control characters");
        }
        if (value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("image_path must separate folders with '/', not '\\'");
        }
        if (value.startsWith("/") || DRIVE.matcher(value).matches()) {
            throw new IllegalArgumentException("image_path must be relative to the import folder, not absolute: '" + value + "'");
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("image_path must not contain an empty folder name ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("image_path must not contain '" + segment + "' segments");
            }
        }
    }

    /** The folder names and the file name, in order. */
    public List<String> segments() {
        return List.of(value.split("/"));
    }

    /** The file name, the last segment. */
    public String fileName() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}

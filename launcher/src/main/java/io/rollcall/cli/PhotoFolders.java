package io.rollcall.cli;

import io.rollcall.error.RollcallException;
import io.rollcall.ingress.bulk.ImportCsv;
import io.rollcall.person.PersonType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds a bulk-import CSV from photo folders laid out by person:
 *
 * <pre>
 * &lt;dir&gt;/student/S001_Ada_Lovelace/1.jpg      person_code S001, person_name "Ada Lovelace"
 * &lt;dir&gt;/student/S002 Grace Hopper/front.png
 * &lt;dir&gt;/teacher/T01_Alan_Turing/portrait.jpg
 * </pre>
 *
 * The type folders may also be called {@code students}/{@code teachers}, in any case, and {@code dir} may itself be
 * one. A person's folder is the code, then {@code _} or a space, then the name (underscores become spaces); every
 * JPEG, PNG or WebP photo in it becomes one row. The paths are written relative to the import folder, which
 * {@code dir} must lie in, because that is where the workers read them. Anything that does not fit is reported
 * rather than guessed at.
 */
public final class PhotoFolders {
    private static final List<String> PHOTO_EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".webp");

    /** The rows found, in path order, and what did not fit the layout (the CSV is usable only when that is empty). */
    public record Scan(List<ImportCsv.Row> rows, List<String> problems) {
        public Scan {
            rows = List.copyOf(rows);
            problems = List.copyOf(problems);
        }
    }

    private PhotoFolders() {
    }

    public static Scan scan(Path dir, Path importDir) throws IOException {
        Path root = importDir.toAbsolutePath().normalize();
        Path start = dir.toAbsolutePath().normalize();
        List<ImportCsv.Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(start)) {
            return new Scan(rows, List.of(dir + " is not a folder"));
        }
        if (!start.startsWith(root) || !start.toRealPath().startsWith(root.toRealPath())) {
            return new Scan(rows, List.of(dir + " is not inside the import folder " + root
                    + " (BULK_IMPORT_DIR, where the workers read photos); move it there or name the import folder with --import-dir"));
        }
        Optional<PersonType> own = type(start.getFileName() == null ? "" : start.getFileName().toString());
        if (own.isPresent()) {
            persons(start, own.get(), root, rows, problems);
        } else {
            boolean any = false;
            for (Path child : children(start)) {
                Optional<PersonType> type = type(child.getFileName().toString());
                if (Files.isDirectory(child) && type.isPresent()) {
                    any = true;
                    persons(child, type.get(), root, rows, problems);
                } else if (Files.isDirectory(child)) {
                    problems.add(relative(root, child) + ": not a student or teacher folder");
                }
            }
            if (!any) {
                problems.add(dir + " has no student or teacher folder");
            }
        }
        return new Scan(rows, problems);
    }

    private static void persons(Path typeDir, PersonType type, Path root, List<ImportCsv.Row> rows, List<String> problems)
            throws IOException {
        for (Path person : children(typeDir)) {
            if (!Files.isDirectory(person)) {
                continue;
            }
            String folder = person.getFileName().toString();
            int separator = indexOfSeparator(folder);
            if (separator <= 0 || folder.substring(separator + 1).isBlank()) {
                problems.add(relative(root, person) + ": name the folder <person_code>_<Name>, for example S001_Ada_Lovelace");
                continue;
            }
            String code = folder.substring(0, separator);
            String name = folder.substring(separator + 1).replace('_', ' ').trim().replaceAll(" +", " ");
            List<Path> photos = children(person).stream()
                    .filter(p -> Files.isRegularFile(p) && isPhoto(p.getFileName().toString())).toList();
            if (photos.isEmpty()) {
                problems.add(relative(root, person) + ": no .jpg, .jpeg, .png or .webp photo");
            }
            for (Path photo : photos) {
                try {
                    rows.add(ImportCsv.row(rows.size() + 2, type.wireName(), code, name, relative(root, photo)));
                } catch (RollcallException e) {
                    problems.add(relative(root, photo) + ": " + e.getMessage());
                }
            }
        }
    }

    private static int indexOfSeparator(String folder) {
        int underscore = folder.indexOf('_');
        int space = folder.indexOf(' ');
        return underscore < 0 ? space : space < 0 ? underscore : Math.min(underscore, space);
    }

    private static Optional<PersonType> type(String folder) {
        return switch (folder.toLowerCase(Locale.ROOT)) {
            case "student", "students" -> Optional.of(PersonType.STUDENT);
            case "teacher", "teachers" -> Optional.of(PersonType.TEACHER);
            default -> Optional.empty();
        };
    }

    private static boolean isPhoto(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        return !file.startsWith(".") && PHOTO_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** Visible entries, sorted by name so that the CSV is the same on every run. */
    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    /** The '/'-separated path below the import folder, as the workers resolve it. */
    private static String relative(Path root, Path path) {
        Path rel = root.relativize(path);
        List<String> names = new ArrayList<>();
        rel.forEach(p -> names.add(p.toString()));
        return String.join("/", names);
    }
}

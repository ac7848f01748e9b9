package io.rollcall.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The worker's sources as files: every package is one the architecture rules name ({@link ArchitectureTest#WORKER}),
 * so a new package cannot slip past them; and classes stay small enough to read whole: none of its main sources over {@value #MAX_LINES} lines,
 * except the index whose hot loops and locking belong together ({@code GalleryIndex}). A file that grows past it is
 * split by what it does (as {@code PackLifecycle} into the candidate, its embedding job and the retirements).
 */
class SourceLayoutTest {
    static final int MAX_LINES = 320;
    private static final Set<String> EXEMPT = Set.of("GalleryIndex.java");
    /** Surefire runs in the module's directory. */
    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void noMainSourceFileIsOverTheLimit() throws IOException {
        assertTrue(Files.isDirectory(SOURCES.resolve("io/rollcall/gallery")), "run from the worker module: " + SOURCES.toAbsolutePath());
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            tooLong = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !EXEMPT.contains(p.getFileName().toString()))
                    .map(p -> p + " " + lines(p))
                    .filter(line -> Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)) > MAX_LINES)
                    .sorted()
                    .toList();
        }
        assertEquals(List.of(), tooLong, "files over " + MAX_LINES + " lines");
    }

    @Test
    void everyPackageIsCoveredByTheArchitectureRules() throws IOException {
        Set<String> named = new TreeSet<>();
        for (String pattern : ArchitectureTest.WORKER) {
            named.add(pattern.substring("io.rollcall.".length(), pattern.length() - "..".length()));
        }
        Set<String> present = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(SOURCES.resolve("io/rollcall"))) {
            dirs.filter(Files::isDirectory).forEach(d -> present.add(d.getFileName().toString()));
        }
        assertEquals(named, present, "ArchitectureTest.WORKER against the packages under src/main/java/io/rollcall");
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}

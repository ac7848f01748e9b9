package io.rollcall.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the user's view of {@link Variables}: this fails when a variable is added,
 * renamed or given another default on one side only. Defaults read outside Java (by logback and the launcher
 * script) are checked where they are written.
 */
class VariablesReadmeTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern CODE = Pattern.compile("`([A-Z][A-Z0-9_]+\\*?)`");

    /** Variable name → the README's default cell, from the rows of the "## Configuration" table. */
    private static Map<String, String> readmeDefaults() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int start = lines.indexOf("## Configuration");
        assertThat(start).as("README has a '## Configuration' section").isNotNegative();
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split(" \\| ", 3);
            Matcher names = CODE.matcher(cells[0]);
            while (names.find()) {
                defaults.put(names.group(1), cells[1].strip());
            }
        }
        return defaults;
    }

    @Test
    void theReadmeListsEveryVariableAndNoOther() throws IOException {
        assertThat(readmeDefaults().keySet())
                .containsExactlyInAnyOrderElementsOf(Variables.all().stream().map(Variable::name).toList());
    }

    @Test
    void theReadmeStatesEachDefaultAsTheCodeHasIt() throws IOException {
        Map<String, String> readme = readmeDefaults();
        for (Variable v : Variables.all()) {
            assertThat(readme.get(v.name())).as("README default of %s", v.name()).startsWith(v.defaultText());
        }
    }

    @Test
    void defaultsReadOutsideJavaAreTheDeclaredOnes() throws IOException {
        String logback = Files.readString(ROOT.resolve("launcher/src/main/resources/logback.xml"));
        assertThat(logback).contains("${LOG_LEVEL:-" + Variables.LOG_LEVEL.defaultValue() + "}")
                .contains("${KAFKA_LOG_LEVEL:-" + Variables.KAFKA_LOG_LEVEL.defaultValue() + "}");
        assertThat(Files.readString(ROOT.resolve("rollcall")))
                .contains("default_heap=\"" + Variables.ROLLCALL_JAVA_OPTS.defaultValue() + "\"")
                .contains("ROLLCALL_JAVA_OPTS");
    }

    @Test
    void everyVariableIsDeclaredOnce() {
        assertThat(Variables.all().stream().map(Variable::name)).doesNotHaveDuplicates();
    }
}

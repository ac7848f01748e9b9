package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production jar with long command lines, as separate JVMs (runs after {@code package}, like WorkerCrashIT).
 *
 * <p>ONNX Runtime 1.29 reads {@code /proc/self/cmdline} while creating its environment and matches it with a
 * std::regex whose executor recurses per character, 256 bytes of stack each. On a default 1 MiB thread stack a
 * command line of about 3,980 bytes killed the JVM with SIGSEGV (exit 139, no hs_err file): {@code embed} with 80
 * photo paths did. Every byte of the command line counts (JVM options as well as arguments); the environment does not.
 */
class LongCommandLineIT {
    private static final int COMMAND_LINE_BYTES = 8 * 1024;
    private static final int SIGSEGV_EXIT = 128 + 11;

    @Test
    void embedTakesEightKilobytesOfPhotoPaths() throws Exception {
        List<String> photos = new ArrayList<>();
        List<Path> all = photos();
        for (int i = 0; argumentBytes(photos) < COMMAND_LINE_BYTES; i++) {
            photos.add(all.get(i % all.size()).toString());
        }
        List<String> command = command(List.of(), photos);
        Run run = run(command);

        assertThat(run.exitCode).as("exit code with a %d-byte command line (139 = SIGSEGV); stderr:%n%s",
                commandLineBytes(command), run.stderr).isNotEqualTo(SIGSEGV_EXIT).isZero();
        // One JSON line per photo (the _noface photos have "faces":[]), and faces were really embedded.
        assertThat(run.stdout.lines().toList()).hasSize(photos.size()).allSatisfy(line -> assertThat(line).startsWith("{\"path\":"));
        assertThat(run.stdout).contains("\"embedding\"");
    }

    @Test
    void eightKilobytesOfJvmOptionsDoNotCrashEither() throws Exception {
        List<String> command = command(List.of("-Drollcall.test.padding=" + "x".repeat(COMMAND_LINE_BYTES)),
                List.of(photos().getFirst().toString()));
        Run run = run(command);

        assertThat(run.exitCode).as("exit code with a %d-byte command line (139 = SIGSEGV); stderr:%n%s",
                commandLineBytes(command), run.stderr).isNotEqualTo(SIGSEGV_EXIT).isZero();
        assertThat(run.stdout).contains("\"embedding\"");
    }

    private static List<String> command(List<String> jvmOptions, List<String> photos) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + Path.of("target", "tmp").toAbsolutePath()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString(), "embed"));
        command.addAll(photos);
        assertThat(commandLineBytes(command)).as("the child's /proc/self/cmdline").isGreaterThanOrEqualTo(COMMAND_LINE_BYTES);
        return command;
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("rollcall.jar", "target/rollcall.jar"));
        assertThat(jar).as("the shaded jar, built by package before integration tests").exists();
        return jar;
    }

    private static Path shared() {
        return Path.of(System.getProperty("rollcall.shared", "../../shared")).toAbsolutePath().normalize();
    }

    private static List<Path> photos() throws IOException {
        try (Stream<Path> files = Files.walk(shared().resolve("faces/dev"))) {
            List<Path> photos = files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            assertThat(photos).as("dev photos under " + shared()).isNotEmpty();
            return photos;
        }
    }

    /** The size of /proc/self/cmdline: every argument and a NUL after each. */
    private static int commandLineBytes(List<String> command) {
        return argumentBytes(command);
    }

    private static int argumentBytes(List<String> arguments) {
        return arguments.stream().mapToInt(a -> a.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run run(List<String> command) throws Exception {
        Files.createDirectories(Path.of("target", "tmp"));
        Path out = Files.createTempFile(Path.of("target"), "long-cmdline", ".out");
        Path err = Files.createTempFile(Path.of("target"), "long-cmdline", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("MODELS_DIR", shared().resolve("models").toString());
        builder.environment().put("INSIGHTFACE_MODEL", "dev");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("embed did not finish in 5 minutes");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}

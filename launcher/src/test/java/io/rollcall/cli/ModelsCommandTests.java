package io.rollcall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.engine.model.ModelSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator's commands, run as the CLI runs them, against the real shared weights. */
class ModelsCommandTests {
    private static final Path SHARED_MODELS =
            Path.of(System.getProperty("rollcall.shared", "../../shared")).toAbsolutePath().normalize().resolve("models");

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Path modelsDir, String defaultPack, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ModelsCommand(new ModelSettings(modelsDir, defaultPack, true)));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void list_shows_every_pack_with_status_licence_and_the_default() {
        Run run = run(SHARED_MODELS, "dev", "list");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Model packs in " + SHARED_MODELS)
                .contains("* dev          installed")
                .contains("  buffalo_l    missing")
                .contains("  buffalo_m    missing")
                .containsPattern("detector +buffalo_m/det_2\\.5g\\.onnx +installed")
                .containsPattern("recognizer +buffalo_m/w600k_r50\\.onnx +missing")
                .contains("licence     InsightFace pretrained weights: non-commercial research purposes only (code MIT)")
                .contains("manifest    built-in");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void verify_passes_for_an_installed_pack_and_fails_with_the_fix_for_a_missing_one() {
        Run ok = run(SHARED_MODELS, "dev", "verify");
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).startsWith("dev: installed").containsPattern("recognizer +faceplugin/fr_feature\\.onnx +installed");

        Run missing = run(SHARED_MODELS, "dev", "verify", "dev", "buffalo_l");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out())
                .contains("buffalo_l: missing")
                .contains("fix: ./rollcall models install buffalo_l --from <zip-or-dir>");
    }

    @Test
    void verify_reports_a_corrupt_file_with_exit_1(@TempDir Path modelsDir) throws IOException {
        assertThat(run(modelsDir, "dev", "install", "dev", "--from", SHARED_MODELS.toString()).exitCode()).isZero();
        Path recognizer = modelsDir.resolve("faceplugin/fr_feature.onnx");
        byte[] bytes = Files.readAllBytes(recognizer);
        bytes[10] ^= 1;
        Files.write(recognizer, bytes);

        Run run = run(modelsDir, "dev", "verify");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("dev: corrupt").contains("expected 87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581");
    }

    @Test
    void install_from_a_folder_then_again_is_a_no_op(@TempDir Path modelsDir) {
        Run first = run(modelsDir, "dev", "install", "dev", "--from", SHARED_MODELS.toString());
        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).contains("Installed dev into " + modelsDir).containsPattern("detector +buffalo_sc/det_500m\\.onnx +installed");
        assertThat(modelsDir.resolve("buffalo_sc/det_500m.onnx")).exists();

        Run second = run(modelsDir, "dev", "install", "dev");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("dev is already installed and verified");
    }

    @Test
    void install_without_a_source_for_a_pack_without_download_fails_clearly(@TempDir Path modelsDir) {
        Run run = run(modelsDir, "dev", "install", "dev");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: Model pack 'dev' has no download")
                .contains("./rollcall models install dev --from <zip-or-dir>");
    }

    @Test
    void an_unknown_pack_or_a_bad_manifest_is_a_usage_error(@TempDir Path modelsDir) throws IOException {
        Run unknown = run(modelsDir, "dev", "install", "buffalo_xl");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown model pack 'buffalo_xl'; known packs: antelopev2, buffalo_l");

        Path manifest = Files.createDirectories(modelsDir.resolve("packs")).resolve("mine.json");
        Files.writeString(manifest, "{\"name\": \"mine\"}");
        Run bad = run(modelsDir, "dev", "list");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains(manifest.toString()).contains("'description'");

        assertThat(run(modelsDir, "dev").exitCode()).isEqualTo(2);
    }

    @Test
    void progress_lines_go_to_stderr_when_installing_from_a_url(@TempDir Path modelsDir, @TempDir Path elsewhere) throws IOException {
        // A zip of a MODELS_DIR-style tree: files found by name, at any depth.
        Path zip = elsewhere.resolve("dev.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (String path : new String[] {"buffalo_sc/det_500m.onnx", "faceplugin/fr_feature.onnx"}) {
                out.putNextEntry(new java.util.zip.ZipEntry("models/" + path));
                out.write(Files.readAllBytes(SHARED_MODELS.resolve(path)));
                out.closeEntry();
            }
        }
        long size = Files.size(zip);

        Run run = run(modelsDir, "dev", "install", "dev", "--from", zip.toUri().toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains(String.format(java.util.Locale.ROOT, "Downloading dev.zip: %,d / %,d bytes (100%%)", size, size));
        assertThat(run.out()).contains("Installed dev into " + modelsDir);
    }

    @Test
    void on_a_terminal_progress_redraws_one_line_and_ends_it() {
        StringWriter err = new StringWriter();
        try (ModelsCommand.ProgressLine progress = new ModelsCommand.ProgressLine(new PrintWriter(err, true), true)) {
            progress.update("buffalo_l.zip", 0, 288_621_354);
            progress.update("buffalo_l.zip", 288_621_354, 288_621_354);
        }

        assertThat(err.toString()).isEqualTo("\rDownloading buffalo_l.zip: 0 / 288,621,354 bytes (0%)"
                + "\rDownloading buffalo_l.zip: 288,621,354 / 288,621,354 bytes (100%)" + System.lineSeparator());
    }
}

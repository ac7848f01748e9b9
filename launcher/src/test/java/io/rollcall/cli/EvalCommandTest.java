package io.rollcall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.testing.DevData;
import io.rollcall.worker.WorkerConfig;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code ./rollcall eval} and {@code calibrate} as the CLI runs them, on five dev identities (40 real photos). */
class EvalCommandTest {
    private static final List<String> IDENTITIES = List.of("angelina_jolie", "cfe_justin", "katy_perry", "kit_harington", "tom_hanks");

    @TempDir
    static Path dir;
    static Path dataset;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void fiveIdentities() throws Exception {
        dataset = Files.createDirectories(dir.resolve("five"));
        for (String identity : IDENTITIES) {
            Files.createSymbolicLink(dataset.resolve(identity), DevData.faces().resolve(identity));
        }
    }

    private static WorkerConfig devConfig() {
        return WorkerConfig.from(Map.of("MODELS_DIR", DevData.models().toString(), "INSIGHTFACE_MODEL", "dev",
                "AUTO_DOWNLOAD_MODELS", "false"), null);
    }

    private static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void evalWithTwoEnrollmentPhotosDecidesForTheGallerysTenFacesAndWritesJsonAndAPlot() throws Exception {
        Path json = dir.resolve("eval.json");
        Path png = dir.resolve("eval.png");

        Run run = run(new EvalCommand(EvalCommandTest::devConfig), dataset.toString(), "--enroll-photos", "2",
                "--json", json.toString(), "--plot", png.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Pack dev on " + dataset + ": 5 identities, 40 identity photos, 30 probes")
                .contains("enrolled                  10 faces (up to 2 photos per identity)")
                .contains("decision                  gallery-size threshold for 0.01 of strangers accepted: threshold 0.3435 for this gallery");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        var decision = new OpenSetDecision.GallerySize(DevData.devPack().impostorTail(), 0.01);
        assertThat(report.path("threshold").asDouble()).isEqualTo(Math.round(decision.threshold(10) * 10_000) / 10_000.0);
        assertThat(report.path("enroll_photos").asInt()).isEqualTo(2);
        assertThat(report.path("gallery_faces").asInt()).isEqualTo(10);
        assertThat(report.path("probes").asInt()).isEqualTo(30);
        assertThat(report.path("rank1").asDouble()).isEqualTo(1.0);
        assertThat(report.path("tar_at_threshold").asDouble()).isEqualTo(1.0);
        assertThat(report.path("strangers").asInt()).isEqualTo(40);
        assertThat(report.path("open_set_false_accept_rate").asDouble()).isEqualTo(0.0);
        assertThat(report.path("genuine_pairs").asInt()).isEqualTo(60);
        assertThat(report.path("impostor_pairs").asInt()).isEqualTo(240);
        assertThat(report.path("curves").path("fixed")).hasSize(61);
        assertThat(report.path("curves").path("decision")).hasSize(10);
        BufferedImage plot = ImageIO.read(png.toFile());
        assertThat(plot.getWidth()).isEqualTo(900);
        assertThat(plot.getHeight()).isEqualTo(600);
    }

    @Test
    void calibrateRefusesToFitATailOnTooFewImpostorPairs() {
        Run run = run(new CalibrateCommand(EvalCommandTest::devConfig), dataset.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("calibrate: fitting the impostor tail at 0.001 needs at least 10000 impostor pairs,"
                + " got 140: use a labelled set with more people" + System.lineSeparator());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyModelIsLoaded() {
        Run zero = run(new EvalCommand(() -> {
            throw new AssertionError("no configuration is needed to refuse the arguments");
        }), dataset.toString(), "--enroll-photos", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).startsWith("eval: --enroll-photos must be at least 1, got 0");

        Run rate = run(new CalibrateCommand(() -> {
            throw new AssertionError("no configuration is needed to refuse the arguments");
        }), dataset.toString(), "--stranger-rate", "1.5");
        assertThat(rate.exitCode()).isEqualTo(2);
        assertThat(rate.err()).startsWith("calibrate: --stranger-rate must be between 0 and 1, got 1.5");
    }
}

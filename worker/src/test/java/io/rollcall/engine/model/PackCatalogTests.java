package io.rollcall.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.engine.model.ModelPack.ColourOrder;
import io.rollcall.engine.model.ModelPack.InputSpec;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PackCatalogTests {
    private static final List<String> INSIGHTFACE = List.of("antelopev2", "buffalo_l", "buffalo_m", "buffalo_s", "buffalo_sc");
    private static final Path SOURCE_MANIFESTS = Path.of("../models/packs");

    @Test
    void ships_the_six_built_in_packs_with_insightface_conventions() {
        PackCatalog catalog = PackCatalog.builtIn();

        assertThat(catalog.packs()).extracting(ModelPack::name)
                .containsExactly("antelopev2", "buffalo_l", "buffalo_m", "buffalo_s", "buffalo_sc", "dev");
        for (String name : INSIGHTFACE) {
            ModelPack pack = catalog.require(name);
            assertThat(pack.archive().url()).isEqualTo("https://github.com/deepinsight/insightface/releases/download/v0.7/" + name + ".zip");
            assertThat(pack.archive().sha256()).hasSize(64);
            assertThat(pack.archive().size()).isPositive();
            assertThat(pack.detector().input()).isEqualTo(new InputSpec(0, 127.5f, 128f, ColourOrder.RGB));
            assertThat(pack.recognizer().input()).isEqualTo(new InputSpec(112, 127.5f, 127.5f, ColourOrder.RGB));
            assertThat(pack.detector().sha256()).hasSize(64);
            assertThat(pack.recognizer().sha256()).hasSize(64);
            assertThat(pack.embeddingDim()).isEqualTo(512);
            assertThat(pack.recommendedThreshold()).isEqualTo(0.4);
            assertThat(pack.licence()).contains("non-commercial research purposes only");
            assertThat(pack.detector().path()).startsWith(name + "/");
        }
        assertThat(catalog.require("buffalo_l").detector().path()).isEqualTo("buffalo_l/det_10g.onnx");
        assertThat(catalog.require("buffalo_l").recognizer().path()).isEqualTo("buffalo_l/w600k_r50.onnx");
        assertThat(catalog.require("buffalo_m").detector().path()).isEqualTo("buffalo_m/det_2.5g.onnx");
        assertThat(catalog.require("buffalo_s").recognizer().path()).isEqualTo("buffalo_s/w600k_mbf.onnx");
        assertThat(catalog.require("buffalo_sc").detector().path()).isEqualTo("buffalo_sc/det_500m.onnx");
        assertThat(catalog.require("antelopev2").recognizer().path()).isEqualTo("antelopev2/glintr100.onnx");
        // scrfd_10g_bnkps.onnx in antelopev2 is byte-identical to buffalo_l's det_10g.onnx.
        assertThat(catalog.require("antelopev2").detector().sha256()).isEqualTo(catalog.require("buffalo_l").detector().sha256());
    }

    @Test
    void dev_pack_points_at_the_shared_weights_with_their_real_hashes() {
        ModelPack dev = PackCatalog.builtIn().require("dev");

        assertThat(dev.archive()).isNull();
        assertThat(dev.impostorTail()).isEqualTo(new ModelPack.ImpostorTail(0.3435, 0.001, 0.0343));
        assertThat(PackCatalog.builtIn().require("buffalo_l").impostorTail()).as("not measured: no weights here").isNull();
        assertThat(dev.recognizer().input()).isEqualTo(new InputSpec(112, 127f, 128f, ColourOrder.RGB));
        Path detector = RealWeights.sharedModels().resolve(dev.detector().path());
        Path recognizer = RealWeights.sharedModels().resolve(dev.recognizer().path());
        assertThat(RealWeights.sha256(detector)).isEqualTo(dev.detector().sha256()).isEqualTo(RealWeights.DET_500M_SHA256);
        assertThat(RealWeights.sha256(recognizer)).isEqualTo(dev.recognizer().sha256()).isEqualTo(RealWeights.FR_FEATURE_SHA256);
        assertThat(detector).hasSize(dev.detector().size());
        assertThat(recognizer).hasSize(dev.recognizer().size());
    }

    @Test
    void the_index_names_exactly_the_manifests_in_models_packs() throws IOException {
        List<String> files;
        try (Stream<Path> listing = Files.list(SOURCE_MANIFESTS)) {
            files = listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
        assertThat(PackCatalog.builtInNames()).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void a_user_manifest_overrides_a_built_in_and_adds_new_packs(@TempDir Path modelsDir) throws IOException {
        Path packs = Files.createDirectories(modelsDir.resolve("packs"));
        String dev = Files.readString(SOURCE_MANIFESTS.resolve("dev.json"));
        Files.writeString(packs.resolve("dev.json"), dev.replace("\"recommended_threshold\": 0.4", "\"recommended_threshold\": 0.55"));
        Files.writeString(packs.resolve("school.json"), dev.replace("\"name\": \"dev\"", "\"name\": \"school\""));
        Files.writeString(packs.resolve("buffalo_l.json"), Files.readString(SOURCE_MANIFESTS.resolve("buffalo_l.json")));

        PackCatalog catalog = PackCatalog.load(modelsDir);

        assertThat(catalog.require("dev").recommendedThreshold()).isEqualTo(0.55);
        assertThat(catalog.source("dev")).isEqualTo(packs.resolve("dev.json").toString());
        assertThat(catalog.require("school").recognizer().path()).isEqualTo("faceplugin/fr_feature.onnx");
        assertThat(catalog.source("school")).endsWith("school.json");
        // An identical copy (what the default MODELS_DIR=./models sees) is not an override.
        assertThat(catalog.source("buffalo_l")).isEqualTo("built-in");
        assertThat(catalog.packs()).hasSize(7);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            std of zero              | "std": 128.0                                | "std": 0      | detector.input.std        | must not be zero
            short hash               | "sha256": "5e4447f5                          | "sha256": "5e | detector.sha256           | 64 lower-case hex
            typo in a field name     | "embedding_dim"                              | "embedding_dims" | embedding_dims         | not a known field
            path leaving MODELS_DIR  | "path": "faceplugin/fr_feature.onnx"         | "path": "../fr_feature.onnx" | recognizer.path | must stay inside MODELS_DIR
            unknown colour order     | "colour_order": "RGB" }                      | "colour_order": "RGBA" } | detector.input.colour_order | must be RGB or BGR
            threshold out of range   | "recommended_threshold": 0.4                 | "recommended_threshold": 40 | recommended_threshold | between -1 and 1
            missing recognizer size  | "size": 112,                                 | "sizes": 112, | recognizer.input.sizes | not a known field
            tail scale of zero       | "scale": 0.0343                              | "scale": 0 | impostor_tail | scale must be in (0, 1)
            tail without its rate    | "far": 0.001,                                | "rate": 0.001, | impostor_tail.rate | not a known field
            """)
    void a_malformed_manifest_is_reported_with_its_file_and_field(String label, String find, String replace, String field,
                                                                  String problem, @TempDir Path modelsDir) throws IOException {
        Path packs = Files.createDirectories(modelsDir.resolve("packs"));
        String dev = Files.readString(SOURCE_MANIFESTS.resolve("dev.json"));
        assertThat(dev).contains(find);
        Path file = packs.resolve("dev.json");
        Files.writeString(file, dev.replaceFirst(java.util.regex.Pattern.quote(find), java.util.regex.Matcher.quoteReplacement(replace)));

        assertThatThrownBy(() -> PackCatalog.load(modelsDir))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.source()).isEqualTo(file.toString());
                    assertThat(e.field()).isEqualTo(field);
                })
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'" + field + "'")
                .hasMessageContaining(problem);
    }

    @Test
    void a_manifest_whose_name_differs_from_its_file_or_that_is_not_json_is_rejected(@TempDir Path modelsDir) throws IOException {
        Path packs = Files.createDirectories(modelsDir.resolve("packs"));
        Files.writeString(packs.resolve("mine.json"), Files.readString(SOURCE_MANIFESTS.resolve("dev.json")));
        assertThatThrownBy(() -> PackCatalog.load(modelsDir)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("mine.json").hasMessageContaining("'name'").hasMessageContaining("is 'dev'");

        Files.writeString(packs.resolve("mine.json"), "{ \"name\": \"mine\", ");
        assertThatThrownBy(() -> PackCatalog.load(modelsDir)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("mine.json").hasMessageContaining("not valid JSON");
    }

    @Test
    void an_unknown_pack_is_model_not_loaded_listing_the_known_ones() {
        assertThatThrownBy(() -> PackCatalog.builtIn().require("buffalo_xl"))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED))
                .hasMessageContaining("buffalo_xl").hasMessageContaining("buffalo_l, buffalo_m");
    }
}

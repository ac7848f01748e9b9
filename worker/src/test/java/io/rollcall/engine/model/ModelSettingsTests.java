package io.rollcall.engine.model;

import io.rollcall.worker.WorkerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSettingsTests {

    @Test
    void defaults_follow_the_spec() {
        ModelSettings settings = WorkerConfig.from(Map.of(), null).models();

        assertThat(settings.modelsDir()).isEqualTo(Path.of("models").toAbsolutePath());
        assertThat(settings.packName()).isEqualTo("buffalo_l");
        assertThat(settings.autoDownload()).isTrue();
    }

    @Test
    void reads_the_three_variables_and_treats_blank_as_unset() {
        ModelSettings settings = WorkerConfig.from(Map.of(
                "MODELS_DIR", "/srv/models/", "INSIGHTFACE_MODEL", " antelopev2 ", "AUTO_DOWNLOAD_MODELS", "FALSE"), null).models();
        assertThat(settings).isEqualTo(new ModelSettings(Path.of("/srv/models"), "antelopev2", false));

        assertThat(WorkerConfig.from(Map.of("INSIGHTFACE_MODEL", "  ", "AUTO_DOWNLOAD_MODELS", "0"), null).models())
                .isEqualTo(new ModelSettings(Path.of("./models"), "buffalo_l", false));
    }

    @Test
    void a_bad_boolean_names_the_variable() {
        assertThatThrownBy(() -> WorkerConfig.from(Map.of("AUTO_DOWNLOAD_MODELS", "sometimes"), null).models())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AUTO_DOWNLOAD_MODELS must be true or false, got 'sometimes'");
    }
}

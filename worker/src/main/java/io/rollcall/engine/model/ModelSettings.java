package io.rollcall.engine.model;

import io.rollcall.config.EnvSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where model packs live and which one to use, from the environment.
 *
 * @param modelsDir    {@code MODELS_DIR}: folder holding the pack folders, user manifests ({@code packs/*.json})
 *                     and the digest cache; absolute
 * @param packName     {@code INSIGHTFACE_MODEL}: the pack the engine loads
 * @param autoDownload {@code AUTO_DOWNLOAD_MODELS}: whether a missing pack is downloaded from its archive at load
 */
public record ModelSettings(Path modelsDir, String packName, boolean autoDownload) {

    public static final String MODELS_DIR = "MODELS_DIR";
    public static final String INSIGHTFACE_MODEL = "INSIGHTFACE_MODEL";
    public static final String AUTO_DOWNLOAD_MODELS = "AUTO_DOWNLOAD_MODELS";

    // The spec's defaults: buffalo_l, downloaded on first run, cached in ./models.
    static final String DEFAULT_MODELS_DIR = "./models";
    static final String DEFAULT_PACK = "buffalo_l";

    public ModelSettings {
        Objects.requireNonNull(modelsDir, "modelsDir");
        Objects.requireNonNull(packName, "packName");
        modelsDir = modelsDir.toAbsolutePath().normalize();
    }

    public static ModelSettings fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads the three variables from {@code env}; blank values count as unset. */
    public static ModelSettings from(Map<String, String> environment) {
        EnvSettings env = new EnvSettings(environment);
        return new ModelSettings(Path.of(env.string(MODELS_DIR, DEFAULT_MODELS_DIR)), env.string(INSIGHTFACE_MODEL, DEFAULT_PACK),
                env.flag(AUTO_DOWNLOAD_MODELS, true));
    }
}

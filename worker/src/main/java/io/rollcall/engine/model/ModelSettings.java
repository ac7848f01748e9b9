package io.rollcall.engine.model;

import java.nio.file.Path;
import java.util.Locale;
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
    public static ModelSettings from(Map<String, String> env) {
        String dir = valueOr(env, MODELS_DIR, DEFAULT_MODELS_DIR);
        String pack = valueOr(env, INSIGHTFACE_MODEL, DEFAULT_PACK);
        boolean auto = parseBoolean(valueOr(env, AUTO_DOWNLOAD_MODELS, "true"));
        return new ModelSettings(Path.of(dir), pack, auto);
    }

    private static String valueOr(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(
                    AUTO_DOWNLOAD_MODELS + " must be true or false, not '" + value + "'");
        };
    }
}

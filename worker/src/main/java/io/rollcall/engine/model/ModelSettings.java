package io.rollcall.engine.model;

import java.nio.file.Path;
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

    public ModelSettings {
        Objects.requireNonNull(modelsDir, "modelsDir");
        Objects.requireNonNull(packName, "packName");
        modelsDir = modelsDir.toAbsolutePath().normalize();
    }
}

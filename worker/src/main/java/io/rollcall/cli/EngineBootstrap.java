package io.rollcall.cli;

import io.rollcall.config.EnvSettings;
import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.image.ImageLimits;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.engine.model.ModelStore;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.engine.model.ResolvedPack;
import java.util.Map;

/** Builds the engine of the CLI commands from the environment, as the service does. */
final class EngineBootstrap {
    private EngineBootstrap() {
    }

    static FaceEngine openFromEnvironment() {
        Map<String, String> env = System.getenv();
        ModelSettings models = ModelSettings.from(env);
        ModelPack pack = PackCatalog.load(models.modelsDir()).require(models.packName());
        ResolvedPack resolved = new ModelStore(models).resolve(pack);
        return FaceEngine.open(pack, resolved.detector(), resolved.recognizer(), EngineSettings.from(env));
    }

    static ImageDecoder decoder() {
        return new ImageDecoder(ImageLimits.from(System.getenv()));
    }

    /** {@code SIMILARITY_THRESHOLD} when set, else the pack's recommended value. */
    static double similarityThreshold(ModelPack pack) {
        return EnvSettings.system().decimal("SIMILARITY_THRESHOLD", pack.recommendedThreshold());
    }
}

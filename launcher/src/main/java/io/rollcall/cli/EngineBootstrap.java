package io.rollcall.cli;

import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.engine.model.ResolvedPack;
import io.rollcall.engine.model.ModelStore;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.worker.WorkerConfig;
import java.util.Map;

/** Builds the engine of the CLI commands from the environment, through the worker's own configuration binding. */
final class EngineBootstrap {
    private EngineBootstrap() {
    }

    /** The worker's settings from this process's environment; no Kafka cluster needed. */
    static WorkerConfig config() {
        return config(System.getenv());
    }

    /** The worker's settings from {@code environment}, for a command that a test runs with an environment of its own. */
    static WorkerConfig config(Map<String, String> environment) {
        return WorkerConfig.from(environment, null);
    }

    static FaceEngine openFromEnvironment() {
        return open(config());
    }

    static FaceEngine open(WorkerConfig config) {
        ModelPack pack = PackCatalog.load(config.models().modelsDir()).require(config.models().packName());
        ResolvedPack resolved = new ModelStore(config.models()).resolve(pack);
        return FaceEngine.open(pack, resolved.detector(), resolved.recognizer(), config.engine());
    }

    static ImageDecoder decoder() {
        return new ImageDecoder(config().images());
    }

    /** The service's open-set decision for this pack, from the same configuration. */
    static OpenSetDecision decision(ModelPack pack) {
        return config().recognition(pack).decision();
    }
}

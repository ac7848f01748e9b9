package io.rollcall.inference;

import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.engine.model.ModelStore;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.engine.model.ResolvedPack;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's face engine, or why there is none. A missing or corrupt pack must not take the worker down: it
 * stays up, answers {@code MODEL_NOT_LOADED} naming the missing file and the install command, and tries again
 * (at most every {@code retryEvery}) so that a pack installed while it runs is picked up without a restart.
 */
public final class EngineHolder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineHolder.class);

    private final ModelSettings models;
    private final EngineSettings settings;
    private final Duration retryEvery;
    private final Clock clock;
    private volatile FaceEngine engine;
    private volatile RollcallException failure;
    private volatile Instant lastAttempt = Instant.MIN;

    public EngineHolder(ModelSettings models, EngineSettings settings, Duration retryEvery, Clock clock) {
        this.models = models;
        this.settings = settings;
        this.retryEvery = retryEvery;
        this.clock = clock;
        tryLoad();
    }

    /** The loaded engine. @throws RollcallException {@code MODEL_NOT_LOADED} with the reason */
    public FaceEngine engine() {
        FaceEngine e = engine;
        if (e != null) {
            return e;
        }
        if (Duration.between(lastAttempt, clock.instant()).compareTo(retryEvery) >= 0) {
            tryLoad();
            if (engine != null) {
                return engine;
            }
        }
        RollcallException why = failure;
        throw new RollcallException(ErrorCode.MODEL_NOT_LOADED, why.getMessage(), why.details(), why);
    }

    public Optional<FaceEngine> loaded() {
        return Optional.ofNullable(engine);
    }

    /** The pack name configured, whether or not it loaded. */
    public String packName() {
        return models.packName();
    }

    public Optional<String> failureMessage() {
        return Optional.ofNullable(failure).map(RuntimeException::getMessage);
    }

    private synchronized void tryLoad() {
        if (engine != null) {
            return;
        }
        lastAttempt = clock.instant();
        try {
            ModelPack pack = PackCatalog.load(models.modelsDir()).require(models.packName());
            ResolvedPack resolved = new ModelStore(models).resolve(pack);
            FaceEngine opened = FaceEngine.open(pack, resolved.detector(), resolved.recognizer(), settings);
            opened.observeStages(WorkerMetrics::engineStages);
            engine = opened;
            failure = null;
            log.info("Model pack {} loaded from {}", pack.name(), models.modelsDir());
        } catch (RollcallException e) {
            failure = e;
            log.error("Model pack {} not loaded: {}", models.packName(), e.getMessage());
        } catch (RuntimeException e) {
            failure = new RollcallException(ErrorCode.MODEL_NOT_LOADED, "Model pack " + models.packName()
                    + " could not be loaded: " + e.getMessage(), Map.of("pack", models.packName()), e);
            log.error("Model pack {} not loaded", models.packName(), e);
        }
    }

    @Override
    public void close() {
        FaceEngine e = engine;
        if (e != null) {
            e.close();
        }
    }
}

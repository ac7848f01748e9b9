package io.rollcall.testing;

import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.image.ImageLimits;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.PackCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real weights and photos that tests run on: {@code ../shared/models} and {@code ../shared/faces/dev}, beside
 * the checkout (surefire passes the location as {@code rollcall.shared}). Missing data fails the test loudly: a
 * skipped test would prove nothing.
 */
public final class DevData {
    private static FaceEngine engine;

    private DevData() {
    }

    public static Path shared() {
        Path dir = Path.of(System.getProperty("rollcall.shared", "../../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("models")) || !Files.isDirectory(dir.resolve("faces/dev"))) {
            throw new IllegalStateException("real weights and photos not found at " + dir
                    + " (expected models/ and faces/dev/ there; CI clones the repository with ../shared beside it)");
        }
        return dir;
    }

    public static Path models() {
        return shared().resolve("models");
    }

    public static Path faces() {
        return shared().resolve("faces/dev");
    }

    public static Path photo(String relative) {
        return faces().resolve(relative);
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(photo(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DecodedImage decode(String relative) {
        return decoder().decode(bytes(relative));
    }

    public static ImageDecoder decoder() {
        return new ImageDecoder(ImageLimits.defaults());
    }

    public static ModelPack devPack() {
        return PackCatalog.builtIn().require("dev");
    }

    /** The dev-pack engine with default settings, opened once per test JVM (loading models costs ~0.3 s). */
    public static synchronized FaceEngine engine() {
        if (engine == null) {
            engine = open(EngineSettings.defaults());
            FaceEngine opened = engine;
            Runtime.getRuntime().addShutdownHook(new Thread(opened::close));
        }
        return engine;
    }

    /** A separate dev-pack engine with other settings; the caller closes it. */
    public static FaceEngine open(EngineSettings settings) {
        ModelPack pack = devPack();
        return FaceEngine.open(pack, models().resolve(pack.detector().path()), models().resolve(pack.recognizer().path()), settings);
    }
}

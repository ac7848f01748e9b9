package io.rollcall.engine.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A pack whose two files are on disk and verified (size, and SHA-256 where pinned) at the time of resolving.
 *
 * @param pack       the manifest the files were checked against
 * @param detector   absolute path of the detector ONNX file
 * @param recognizer absolute path of the recognizer ONNX file
 */
public record ResolvedPack(ModelPack pack, Path detector, Path recognizer) {
    public ResolvedPack {
        Objects.requireNonNull(pack, "pack");
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(recognizer, "recognizer");
    }
}

package io.rollcall.engine.model;

import io.rollcall.engine.model.ModelPack.ModelFile;
import java.nio.file.Path;
import java.util.List;

/**
 * What is on disk for one pack: each file installed, missing or corrupt. Used by {@code models list/verify} and by
 * {@link ModelStore#resolve(ModelPack)} before it decides to download.
 *
 * @param pack  the pack checked
 * @param files detector first, then recognizer
 */
public record PackStatus(ModelPack pack, List<FileStatus> files) {

    public PackStatus {
        files = List.copyOf(files);
    }

    public enum State { INSTALLED, MISSING, CORRUPT }

    /**
     * @param role         {@code detector} or {@code recognizer}
     * @param file         the manifest entry
     * @param path         where the file is expected, absolute
     * @param state        what was found
     * @param actualSha256 the file's SHA-256 when it exists and its size was right, otherwise {@code null}
     * @param problem      for a corrupt file, what did not match; otherwise {@code null}
     */
    public record FileStatus(String role, ModelFile file, Path path, State state, String actualSha256, String problem) {
    }

    /** True when both files are installed and verified. */
    public boolean ready() {
        return state() == State.INSTALLED;
    }

    /** The worst state of the pack's files: corrupt beats missing beats installed. */
    public State state() {
        State worst = State.INSTALLED;
        for (FileStatus file : files) {
            if (file.state() == State.CORRUPT) {
                return State.CORRUPT;
            }
            if (file.state() == State.MISSING) {
                worst = State.MISSING;
            }
        }
        return worst;
    }
}

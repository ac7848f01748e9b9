package io.rollcall.engine.model;

import io.rollcall.engine.model.ModelPack.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** The layout of {@code MODELS_DIR} and the rules for writing into it. */
final class ModelsFolder {

    /** Partial downloads ({@code *.part}), fetched archives and install locks; hidden so no pack can claim it. */
    static final String DOWNLOADS = ".downloads";

    private ModelsFolder() {
    }

    /**
     * Absolute path of a manifest file. Manifests are validated on reading; this also guards packs built in code,
     * since the installer writes to this path.
     */
    static Path resolve(Path modelsDir, ModelFile file) {
        String problem = ManifestReader.relativePathProblem(file.path());
        if (problem != null) {
            throw new IllegalArgumentException("Model file path " + problem);
        }
        return modelsDir.resolve(file.path()).normalize();
    }

    static Path downloads(Path modelsDir) {
        return modelsDir.resolve(DOWNLOADS);
    }

    /**
     * Whether this process may write into {@code dir}. Besides access(2), a folder whose mode grants nobody write
     * access counts as read-only: root passes every access check, yet the shared weights folder CI points
     * MODELS_DIR at is marked {@code r-x} precisely so that nothing writes into it.
     */
    static boolean writable(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return false;
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            return mode.contains(PosixFilePermission.OWNER_WRITE) || mode.contains(PosixFilePermission.GROUP_WRITE)
                    || mode.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return true;
        }
    }

    /** Replaces {@code target} in one step: readers see the old content or the new, never a partial file. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

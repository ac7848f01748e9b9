package io.rollcall.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.engine.model.PackStatus.State;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading installed packs: verification, the digest cache, and the errors an operator sees. */
class ModelStoreResolveTests {

    /** Hashes for real, and remembers which files it had to read. */
    static final class CountingHasher implements FileHasher {
        final List<Path> hashed = new ArrayList<>();

        @Override
        public synchronized String sha256(Path file) throws IOException {
            hashed.add(file);
            return FileHasher.sha256Of(file);
        }
    }

    private static ModelStore store(Path modelsDir, boolean autoDownload, FileHasher hasher) {
        return new ModelStore(modelsDir, autoDownload, hasher, ArchiveDownloader.standard());
    }

    /** Copies the real weights into {@code modelsDir} under the test pack's paths. */
    private static void placeRealFiles(Path modelsDir, String packName) throws IOException {
        Files.createDirectories(modelsDir.resolve(packName));
        Files.write(modelsDir.resolve(packName + "/det_500m.onnx"), RealWeights.detectorBytes());
        Files.write(modelsDir.resolve(packName + "/fr_feature.onnx"), RealWeights.recognizerBytes());
    }

    @Test
    void the_dev_pack_resolves_against_the_read_only_shared_weights_without_writing_there() {
        Path shared = RealWeights.sharedModels();
        assertThat(shared.resolve(DigestCache.FILE_NAME)).doesNotExist();
        CountingHasher hasher = new CountingHasher();
        ModelStore store = store(shared, true, hasher);
        ModelPack dev = PackCatalog.builtIn().require("dev");

        ResolvedPack resolved = store.resolve(dev);

        assertThat(resolved.detector()).isEqualTo(shared.resolve("buffalo_sc/det_500m.onnx"));
        assertThat(resolved.recognizer()).isEqualTo(shared.resolve("faceplugin/fr_feature.onnx"));
        assertThat(store.status(dev).files()).extracting(PackStatus.FileStatus::actualSha256)
                .containsExactly(RealWeights.DET_500M_SHA256, RealWeights.FR_FEATURE_SHA256);
        assertThat(hasher.hashed).hasSize(2); // the second status() came from the in-memory cache
        assertThat(shared.resolve(DigestCache.FILE_NAME)).doesNotExist();
        assertThat(shared.resolve(ModelsFolder.DOWNLOADS)).doesNotExist();
    }

    @Test
    void a_partly_present_pack_reports_each_file() {
        ModelStore store = store(RealWeights.sharedModels(), false, FileHasher.SHA256);

        PackStatus status = store.status(PackCatalog.builtIn().require("buffalo_m"));

        assertThat(status.files()).extracting(PackStatus.FileStatus::state).containsExactly(State.INSTALLED, State.MISSING);
        assertThat(status.state()).isEqualTo(State.MISSING);
        assertThat(status.ready()).isFalse();
    }

    @Test
    void a_missing_file_without_auto_download_names_the_file_and_the_install_command(@TempDir Path modelsDir) throws IOException {
        Files.createDirectories(modelsDir.resolve("school"));
        Files.write(modelsDir.resolve("school/det_500m.onnx"), RealWeights.detectorBytes());
        ModelPack pack = RealWeights.pack("school", new ModelPack.Archive("http://127.0.0.1:9/school.zip", null, null));

        assertThatThrownBy(() -> store(modelsDir, false, FileHasher.SHA256).resolve(pack))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED);
                    assertThat(e.details())
                            .containsEntry("file", "school/fr_feature.onnx")
                            .containsEntry("expected_sha256", RealWeights.FR_FEATURE_SHA256)
                            .containsEntry("install_command", "./rollcall models install school --from <zip-or-dir>")
                            .containsEntry("path", modelsDir.resolve("school/fr_feature.onnx").toString())
                            .doesNotContainKey("download_error");
                })
                .hasMessageContaining("school/fr_feature.onnx is missing from " + modelsDir)
                .hasMessageContaining("AUTO_DOWNLOAD_MODELS is off");
    }

    @Test
    void a_file_with_the_right_size_but_wrong_bytes_is_corrupt_with_both_hashes(@TempDir Path modelsDir) throws IOException {
        placeRealFiles(modelsDir, "school");
        byte[] tampered = RealWeights.recognizerBytes().clone();
        tampered[tampered.length / 2] ^= 1;
        Files.write(modelsDir.resolve("school/fr_feature.onnx"), tampered);
        ModelPack pack = RealWeights.pack("school", null);

        assertThatThrownBy(() -> store(modelsDir, true, FileHasher.SHA256).resolve(pack))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED);
                    assertThat(e.details())
                            .containsEntry("file", "school/fr_feature.onnx")
                            .containsEntry("expected_sha256", RealWeights.FR_FEATURE_SHA256)
                            .containsEntry("actual_sha256", RealWeights.sha256(tampered))
                            .containsKey("install_command");
                })
                .hasMessageContaining("school/fr_feature.onnx")
                .hasMessageContaining("sha256 " + RealWeights.sha256(tampered) + ", expected " + RealWeights.FR_FEATURE_SHA256);
    }

    @Test
    void a_file_of_the_wrong_size_is_corrupt_without_being_hashed(@TempDir Path modelsDir) throws IOException {
        placeRealFiles(modelsDir, "school");
        Files.write(modelsDir.resolve("school/det_500m.onnx"), new byte[1000]);
        CountingHasher hasher = new CountingHasher();

        PackStatus status = store(modelsDir, false, hasher).status(RealWeights.pack("school", null));

        assertThat(status.files().get(0).state()).isEqualTo(State.CORRUPT);
        assertThat(status.files().get(0).problem()).isEqualTo("size 1000 bytes, expected " + RealWeights.DET_500M_SIZE);
        assertThat(hasher.hashed).containsExactly(modelsDir.resolve("school/fr_feature.onnx"));
    }

    @Test
    void a_restart_reuses_cached_digests_until_a_file_changes(@TempDir Path modelsDir) throws IOException {
        placeRealFiles(modelsDir, "school");
        ModelPack pack = RealWeights.pack("school", null);
        CountingHasher first = new CountingHasher();
        store(modelsDir, false, first).resolve(pack);
        assertThat(first.hashed).hasSize(2);
        assertThat(modelsDir.resolve(DigestCache.FILE_NAME)).exists();

        CountingHasher second = new CountingHasher();
        ResolvedPack again = store(modelsDir, false, second).resolve(pack);
        assertThat(again.recognizer()).isEqualTo(modelsDir.resolve("school/fr_feature.onnx"));
        assertThat(second.hashed).isEmpty();

        Path recognizer = modelsDir.resolve("school/fr_feature.onnx");
        Files.setLastModifiedTime(recognizer, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
        CountingHasher third = new CountingHasher();
        store(modelsDir, false, third).resolve(pack);
        assertThat(third.hashed).containsExactly(recognizer);

        CountingHasher verify = new CountingHasher();
        assertThat(store(modelsDir, false, verify).verify(pack).ready()).isTrue();
        assertThat(verify.hashed).hasSize(2); // verify re-reads everything on purpose
    }

    @Test
    void a_read_only_models_dir_loads_and_caches_in_memory_but_refuses_installs(@TempDir Path root) throws IOException {
        Path modelsDir = root.resolve("models");
        placeRealFiles(modelsDir, "school");
        ModelPack pack = RealWeights.pack("school", null);
        ModelPack other = RealWeights.pack("other", null);
        makeReadOnly(modelsDir);
        try {
            CountingHasher hasher = new CountingHasher();
            ModelStore store = store(modelsDir, true, hasher);

            assertThat(store.resolve(pack).detector()).isEqualTo(modelsDir.resolve("school/det_500m.onnx"));
            store.resolve(pack);
            assertThat(hasher.hashed).hasSize(2);
            assertThat(modelsDir.resolve(DigestCache.FILE_NAME)).doesNotExist();

            assertThatThrownBy(() -> store.install(other, RealWeights.sharedModels()))
                    .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED))
                    .hasMessageContaining("is read-only");
            assertThat(modelsDir.resolve("other")).doesNotExist();
            // A complete pack in a read-only folder is already installed: nothing to refuse.
            assertThat(store.install(pack, RealWeights.sharedModels()).ready()).isTrue();
        } finally {
            makeWritable(modelsDir);
        }
    }

    @Test
    void an_unpinned_file_is_held_to_the_digest_it_had_when_installed(@TempDir Path modelsDir) throws IOException {
        ModelPack unpinned = RealWeights.pack("school", null, null);
        ModelStore store = store(modelsDir, false, FileHasher.SHA256);
        store.install(unpinned, RealWeights.sharedModels());
        assertThat(store.resolve(unpinned).detector()).exists();

        byte[] swapped = RealWeights.detectorBytes().clone();
        swapped[100] ^= 1;
        Files.write(modelsDir.resolve("school/det_500m.onnx"), swapped);

        PackStatus status = store(modelsDir, false, FileHasher.SHA256).status(unpinned);
        assertThat(status.files().get(0).state()).isEqualTo(State.CORRUPT);
        assertThat(status.files().get(0).problem())
                .isEqualTo("sha256 " + RealWeights.sha256(swapped) + ", expected " + RealWeights.DET_500M_SHA256
                        + " (recorded when it was installed)");
    }

    private static void makeReadOnly(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-xr-xr-x" : "r--r--r--"));
            }
        }
    }

    private static void makeWritable(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}

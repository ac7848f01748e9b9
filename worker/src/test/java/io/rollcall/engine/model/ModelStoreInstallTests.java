package io.rollcall.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.engine.model.ModelPack.Archive;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing packs from real zip archives of the real weights, over a local HTTP server, file: URLs and local copies. */
class ModelStoreInstallTests {
    private static final String ZIP_PATH = "/files/school.zip";

    @TempDir
    Path root;
    Path modelsDir;
    ArchiveServer server;
    byte[] zip;

    @BeforeEach
    void start() throws IOException {
        modelsDir = root.resolve("models");
        server = ArchiveServer.start();
        zip = RealWeights.flatZip();
        server.serve(ZIP_PATH, zip);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelStore store() {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return new ModelStore(modelsDir, true, FileHasher.SHA256, new ArchiveDownloader(client, Duration.ofSeconds(2)));
    }

    private ModelPack packServedAt(String path) {
        return RealWeights.pack("school", new Archive(server.uri(path).toString(), RealWeights.sha256(zip), (long) zip.length));
    }

    private Path part() {
        return modelsDir.resolve(ModelsFolder.DOWNLOADS).resolve("school.zip.part");
    }

    private void assertInstalled(ResolvedPack resolved) {
        assertThat(resolved.detector()).isEqualTo(modelsDir.resolve("school/det_500m.onnx"));
        assertThat(RealWeights.sha256(resolved.detector())).isEqualTo(RealWeights.DET_500M_SHA256);
        assertThat(RealWeights.sha256(resolved.recognizer())).isEqualTo(RealWeights.FR_FEATURE_SHA256);
        assertThat(leftovers()).isEmpty();
    }

    /** Anything besides installed .onnx files, the digest cache and lock files: partial downloads, archives, temp files. */
    private List<Path> leftovers() {
        try (Stream<Path> all = Files.walk(modelsDir)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".lock"))
                    .filter(p -> !p.getFileName().toString().equals(DigestCache.FILE_NAME))
                    .filter(p -> !(p.getFileName().toString().endsWith(".onnx") && !p.getFileName().toString().startsWith(".")))
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<Path> onnxFiles() throws IOException {
        if (!Files.exists(modelsDir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(modelsDir)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".onnx")).toList();
        }
    }

    @Test
    void a_missing_pack_is_downloaded_at_load_following_the_release_redirect() {
        server.redirect("/releases/download/v0.7/school.zip", ZIP_PATH);
        ModelPack pack = packServedAt("/releases/download/v0.7/school.zip");
        AtomicLong lastDone = new AtomicLong();
        AtomicLong lastTotal = new AtomicLong();

        ResolvedPack resolved = store().resolve(pack, (item, done, total) -> {
            assertThat(item).isEqualTo("school.zip");
            lastDone.set(done);
            lastTotal.set(total);
        });

        assertInstalled(resolved);
        assertThat(lastDone.get()).isEqualTo(zip.length);
        assertThat(lastTotal.get()).isEqualTo(zip.length);
        assertThat(server.requests()).extracting(ArchiveServer.Request::status).containsExactly(302, 200);
    }

    @Test
    void a_partial_download_is_resumed_with_a_range_request() throws IOException {
        int have = zip.length / 3;
        Files.createDirectories(part().getParent());
        Files.write(part(), Arrays.copyOf(zip, have));

        ResolvedPack resolved = store().resolve(packServedAt(ZIP_PATH), DownloadProgress.NONE);

        assertInstalled(resolved);
        assertThat(server.requestsFor(ZIP_PATH)).singleElement().satisfies(request -> {
            assertThat(request.range()).isEqualTo("bytes=" + have + "-");
            assertThat(request.status()).isEqualTo(206);
            assertThat(request.bytesSent()).isEqualTo(zip.length - have);
        });
    }

    @Test
    void a_server_that_ignores_range_makes_the_download_start_over() throws IOException {
        server.honourRange = false;
        Files.createDirectories(part().getParent());
        Files.write(part(), new byte[zip.length / 2]); // not a prefix of the archive: appending to it would break the hash

        ResolvedPack resolved = store().resolve(packServedAt(ZIP_PATH), DownloadProgress.NONE);

        assertInstalled(resolved);
        assertThat(server.requestsFor(ZIP_PATH)).singleElement().satisfies(request -> {
            assertThat(request.range()).isEqualTo("bytes=" + zip.length / 2 + "-");
            assertThat(request.status()).isEqualTo(200);
        });
    }

    @Test
    void a_complete_partial_file_is_not_fetched_again() throws IOException {
        Files.createDirectories(part().getParent());
        Files.write(part(), zip);

        assertInstalled(store().resolve(packServedAt(ZIP_PATH), DownloadProgress.NONE));
        assertThat(server.requestsFor(ZIP_PATH)).extracting(ArchiveServer.Request::status).containsExactly(416);
    }

    @Test
    void an_archive_with_the_wrong_hash_is_discarded_and_nothing_is_installed() throws IOException {
        String wrong = RealWeights.sha256(new byte[] {1, 2, 3});
        ModelPack pack = RealWeights.pack("school", new Archive(server.uri(ZIP_PATH).toString(), wrong, null));

        assertThatThrownBy(() -> store().install(pack, DownloadProgress.NONE))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED);
                    assertThat(e.details())
                            .containsEntry("expected_sha256", wrong)
                            .containsEntry("actual_sha256", RealWeights.sha256(zip))
                            .containsEntry("install_command", "./rollcall models install school --from <zip-or-dir>");
                })
                .hasMessageContaining("has sha256 " + RealWeights.sha256(zip) + ", expected " + wrong);
        assertThat(onnxFiles()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void a_file_with_the_wrong_hash_is_not_moved_into_place() throws IOException {
        String wrong = RealWeights.FR_FEATURE_SHA256;
        ModelPack pack = RealWeights.pack("school", wrong, new Archive(server.uri(ZIP_PATH).toString(), null, null));

        assertThatThrownBy(() -> store().install(pack, DownloadProgress.NONE))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED);
                    assertThat(e.details())
                            .containsEntry("file", "school/det_500m.onnx")
                            .containsEntry("expected_sha256", wrong)
                            .containsEntry("actual_sha256", RealWeights.DET_500M_SHA256);
                })
                .hasMessageContaining("school/det_500m.onnx")
                .hasMessageContaining("has sha256 " + RealWeights.DET_500M_SHA256 + ", expected " + wrong);
        assertThat(modelsDir.resolve("school/det_500m.onnx")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void an_unreachable_server_leaves_model_not_loaded_with_the_install_command() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ModelPack pack = RealWeights.pack("school", new Archive("http://127.0.0.1:" + closedPort + "/school.zip", null, null));

        assertThatThrownBy(() -> store().resolve(pack, DownloadProgress.NONE))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED);
                    assertThat(e.details())
                            .containsEntry("file", "school/det_500m.onnx")
                            .containsEntry("install_command", "./rollcall models install school --from <zip-or-dir>")
                            .containsKey("download_error");
                    assertThat((String) e.details().get("download_error")).contains("127.0.0.1:" + closedPort);
                })
                .hasMessageContaining("school/det_500m.onnx is missing")
                .hasMessageContaining("automatic download failed");
    }

    @Test
    void a_404_is_reported_as_the_download_error() {
        ModelPack pack = packServedAt("/files/gone.zip");

        assertThatThrownBy(() -> store().resolve(pack, DownloadProgress.NONE))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED);
                    assertThat((String) e.details().get("download_error")).contains("HTTP 404 from " + server.uri("/files/gone.zip"));
                    assertThat(e.details()).containsEntry("expected_sha256", RealWeights.DET_500M_SHA256);
                });
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void a_stalled_download_times_out_and_the_next_attempt_resumes_it() throws IOException {
        server.stallAfter = 100_000;
        ModelPack pack = packServedAt(ZIP_PATH);

        assertThatThrownBy(() -> store().install(pack, DownloadProgress.NONE))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED))
                .hasMessageContaining("stalled");
        assertThat(part()).hasSize(100_000);

        server.stallAfter = -1;
        assertThat(store().install(pack, DownloadProgress.NONE).ready()).isTrue();
        assertThat(server.requestsFor(ZIP_PATH).getLast().range()).isEqualTo("bytes=100000-");
        assertInstalled(store().resolve(pack, DownloadProgress.NONE));
    }

    @Test
    void a_file_url_is_installed_like_a_download(@TempDir Path elsewhere) throws IOException {
        Path archive = Files.write(elsewhere.resolve("school.zip"), zip);
        ModelPack pack = RealWeights.pack("school", new Archive(archive.toUri().toString(), RealWeights.sha256(zip), (long) zip.length));

        assertInstalled(store().resolve(pack, DownloadProgress.NONE));
        assertThat(archive).exists();
    }

    @Test
    void offline_install_from_a_local_zip_or_a_folder_of_files(@TempDir Path elsewhere) throws IOException {
        Path archive = Files.write(elsewhere.resolve("school.zip"), zip);
        ModelPack fromZip = RealWeights.pack("school", null);
        assertThat(store().install(fromZip, archive).ready()).isTrue();
        assertInstalled(store().resolve(fromZip, DownloadProgress.NONE));

        // ../shared/models holds det_500m.onnx and fr_feature.onnx in different sub-folders: found by name.
        ModelPack fromFolder = RealWeights.pack("other", null);
        assertThat(store().install(fromFolder, RealWeights.sharedModels()).ready()).isTrue();
        assertThat(RealWeights.sha256(modelsDir.resolve("other/fr_feature.onnx"))).isEqualTo(RealWeights.FR_FEATURE_SHA256);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void files_nested_in_a_folder_of_the_archive_are_found_by_name(@TempDir Path elsewhere) throws IOException {
        byte[] nested = RealWeights.zip(Map.of(
                "antelopev2/", new byte[0],
                "antelopev2/det_500m.onnx", RealWeights.detectorBytes(),
                "antelopev2/fr_feature.onnx", RealWeights.recognizerBytes(),
                "antelopev2/1k3d68.onnx", new byte[] {42}));
        Path archive = Files.write(elsewhere.resolve("antelopev2.zip"), nested);

        store().install(RealWeights.pack("school", null), archive);

        assertInstalled(store().resolve(RealWeights.pack("school", null), DownloadProgress.NONE));
        assertThat(modelsDir.resolve("school/1k3d68.onnx")).doesNotExist();
    }

    @Test
    void an_archive_with_a_zip_slip_entry_is_rejected_whole(@TempDir Path elsewhere) throws IOException {
        byte[] hostile = RealWeights.zip(Map.of(
                "det_500m.onnx", RealWeights.detectorBytes(),
                "fr_feature.onnx", RealWeights.recognizerBytes(),
                "../../evil.onnx", new byte[] {6, 6, 6}));
        Path archive = Files.write(elsewhere.resolve("school.zip"), hostile);

        assertThatThrownBy(() -> store().install(RealWeights.pack("school", null), archive))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED))
                .hasMessageContaining("entry '../../evil.onnx'")
                .hasMessageContaining("climbs out of the archive");
        assertThat(onnxFiles()).isEmpty();
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("evil.onnx"))).isEmpty();
        }
    }

    @Test
    void an_entry_larger_than_the_pinned_size_is_rejected(@TempDir Path elsewhere) throws IOException {
        byte[] bomb = RealWeights.zip(Map.of(
                "det_500m.onnx", new byte[64 << 20], // 64 MiB of zeros deflate to about 64 KB
                "fr_feature.onnx", RealWeights.recognizerBytes()));
        Path archive = Files.write(elsewhere.resolve("school.zip"), bomb);
        assertThat(archive).satisfies(p -> assertThat(Files.size(p)).isLessThan(6 << 20));

        assertThatThrownBy(() -> store().install(RealWeights.pack("school", null), archive))
                .isInstanceOf(RollcallException.class)
                .hasMessageContaining("declares " + (64 << 20) + " bytes, more than the " + RealWeights.DET_500M_SIZE);
        assertThat(onnxFiles()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void concurrent_installs_of_one_pack_download_it_once() throws Exception {
        ModelPack pack = packServedAt(ZIP_PATH);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<PackStatus>> results = pool.invokeAll(List.of(
                    () -> store().install(pack, DownloadProgress.NONE),
                    () -> store().install(pack, DownloadProgress.NONE)));
            for (Future<PackStatus> result : results) {
                assertThat(result.get().ready()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.requestsFor(ZIP_PATH)).hasSize(1);
        assertInstalled(store().resolve(pack, DownloadProgress.NONE));
    }
}

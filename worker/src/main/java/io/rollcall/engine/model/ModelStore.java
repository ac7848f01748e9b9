package io.rollcall.engine.model;

import io.rollcall.engine.model.ModelPack.Archive;
import io.rollcall.engine.model.ModelPack.ModelFile;
import io.rollcall.engine.model.PackStatus.FileStatus;
import io.rollcall.engine.model.PackStatus.State;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installed packs in {@code MODELS_DIR}: checks them, installs them, and hands the engine verified file paths.
 *
 * <p>Verification is by size and, where the manifest pins one, SHA-256; digests are cached (see {@link DigestCache})
 * so a restart costs a few {@code stat} calls, not a re-read of every weight file. Every failure to produce a usable
 * pack is a {@link RollcallException} with {@link ErrorCode#MODEL_NOT_LOADED} whose details say which file, what
 * was expected, and the command that fixes it.
 */
public final class ModelStore {
    private static final Logger log = LoggerFactory.getLogger(ModelStore.class);

    private final Path modelsDir;
    private final boolean autoDownload;
    private final DigestCache digests;
    private final PackInstaller installer;

    public ModelStore(ModelSettings settings) {
        this(settings.modelsDir(), settings.autoDownload(), FileHasher.SHA256, ArchiveDownloader.standard());
    }

    ModelStore(Path modelsDir, boolean autoDownload, FileHasher hasher, ArchiveDownloader downloader) {
        this.modelsDir = modelsDir.toAbsolutePath().normalize();
        this.autoDownload = autoDownload;
        this.digests = new DigestCache(this.modelsDir, hasher);
        this.installer = new PackInstaller(this.modelsDir, digests, downloader);
    }

    public Path modelsDir() {
        return modelsDir;
    }

    /** The command an operator runs to install {@code pack} by hand, as quoted in errors. */
    public static String installCommand(ModelPack pack) {
        return "./rollcall models install " + pack.name() + " --from <zip-or-dir>";
    }

    /** Like {@link #resolve(ModelPack, DownloadProgress)}, logging download progress. */
    public ResolvedPack resolve(ModelPack pack) {
        return resolve(pack, new LoggedProgress());
    }

    /**
     * The pack's two files, verified. A missing file is downloaded from the pack's archive first when
     * {@code AUTO_DOWNLOAD_MODELS} is on; a corrupt one is never replaced silently.
     *
     * @throws RollcallException {@code MODEL_NOT_LOADED} naming the missing or corrupt file
     */
    public ResolvedPack resolve(ModelPack pack, DownloadProgress progress) {
        PackStatus status = status(pack);
        if (status.state() == State.CORRUPT) {
            throw corrupt(pack, status);
        }
        if (status.state() == State.MISSING) {
            String downloadError = null;
            if (autoDownload && pack.archive() != null) {
                try {
                    status = install(pack, progress);
                } catch (RollcallException e) {
                    downloadError = e.getMessage();
                }
            }
            if (!status.ready()) {
                throw missing(pack, status, downloadError);
            }
        }
        return new ResolvedPack(pack, status.files().get(0).path(), status.files().get(1).path());
    }

    /**
     * What is on disk for {@code pack}; never downloads, never throws for a bad file (that is a state). Trusts the
     * digest cache for files whose size and mtime are unchanged.
     */
    public PackStatus status(ModelPack pack) {
        return status(pack, false);
    }

    /** Like {@link #status(ModelPack)}, but re-reads every file: for an operator who wants certainty, not speed. */
    public PackStatus verify(ModelPack pack) {
        return status(pack, true);
    }

    private PackStatus status(ModelPack pack, boolean rehash) {
        return new PackStatus(pack, List.of(check("detector", pack.detector(), rehash),
                check("recognizer", pack.recognizer(), rehash)));
    }

    /** Installs the missing or corrupt files of {@code pack} from its official archive. */
    public PackStatus install(ModelPack pack, DownloadProgress progress) {
        Archive archive = pack.archive();
        if (archive == null) {
            Map<String, Object> details = details(pack);
            throw new RollcallException(ErrorCode.MODEL_NOT_LOADED, "Model pack '" + pack.name()
                    + "' has no download; install it from a zip or folder: " + installCommand(pack), details);
        }
        return install(pack, URI.create(archive.url()), progress);
    }

    /**
     * Installs from an archive at {@code url} (http, https or file). The manifest's archive hash and size apply only
     * when {@code url} is the manifest's own: a mirror of another zip is checked file by file instead.
     */
    public PackStatus install(ModelPack pack, URI url, DownloadProgress progress) {
        Archive official = pack.archive();
        boolean isOfficial = official != null && URI.create(official.url()).equals(url);
        String sha256 = isOfficial ? official.sha256() : null;
        Long size = isOfficial ? official.size() : null;
        return install(pack, url.toString(),
                needed -> installer.installFromUrl(pack, url, sha256, size, needed, progress));
    }

    /** Offline install from a local zip, or a folder containing the files (found by file name). */
    public PackStatus install(ModelPack pack, Path zipOrFolder) {
        Path source = zipOrFolder.toAbsolutePath().normalize();
        return install(pack, source.toString(), needed -> installer.installFromPath(source, needed));
    }

    @FunctionalInterface
    private interface InstallStep {
        void run(List<ModelFile> needed) throws IOException;
    }

    private PackStatus install(ModelPack pack, String origin, InstallStep step) {
        PackStatus before = status(pack);
        if (before.ready()) {
            return before; // also keeps a read-only MODELS_DIR with a complete pack usable
        }
        try {
            Files.createDirectories(modelsDir);
            if (!ModelsFolder.writable(modelsDir)) {
                throw new InstallFailure("MODELS_DIR " + modelsDir + " is read-only");
            }
            try (InstallLock lock = InstallLock.acquire(ModelsFolder.downloads(modelsDir), pack.name())) {
                before = status(pack); // another thread or process may have finished while we waited
                if (before.ready()) {
                    return before;
                }
                List<ModelFile> needed = before.files().stream()
                        .filter(file -> file.state() != State.INSTALLED).map(FileStatus::file).toList();
                log.info("Installing model pack '{}' into {} from {}", pack.name(), modelsDir, origin);
                step.run(needed);
            }
            PackStatus after = status(pack);
            if (!after.ready()) {
                throw new InstallFailure("the files were written but do not verify: " + describe(after));
            }
            log.info("Installed model pack '{}' ({}, {})", pack.name(), pack.detector().path(), pack.recognizer().path());
            return after;
        } catch (IOException e) {
            Map<String, Object> details = details(pack);
            details.put("source", origin);
            if (e instanceof InstallFailure failure) {
                details.putAll(failure.details());
            }
            throw new RollcallException(ErrorCode.MODEL_NOT_LOADED,
                    "Could not install model pack '" + pack.name() + "' from " + origin + ": " + message(e), details, e);
        }
    }

    private FileStatus check(String role, ModelFile file, boolean rehash) {
        Path path = ModelsFolder.resolve(modelsDir, file);
        if (!Files.isRegularFile(path)) {
            return new FileStatus(role, file, path, State.MISSING, null, null);
        }
        try {
            long size = Files.size(path);
            if (file.size() != null && size != file.size()) {
                return new FileStatus(role, file, path, State.CORRUPT, null,
                        "size " + size + " bytes, expected " + file.size());
            }
            String actual = digests.sha256(path, rehash);
            String expected = file.sha256() != null ? file.sha256() : digests.installedSha256(path);
            if (expected == null) {
                digests.trust(path, actual); // unpinned and never seen: this digest is what later loads must match
            } else if (!expected.equals(actual)) {
                String recorded = file.sha256() == null ? " (recorded when it was installed)" : "";
                return new FileStatus(role, file, path, State.CORRUPT, actual,
                        "sha256 " + actual + ", expected " + expected + recorded);
            }
            return new FileStatus(role, file, path, State.INSTALLED, actual, null);
        } catch (IOException e) {
            return new FileStatus(role, file, path, State.CORRUPT, null, "cannot be read: " + message(e));
        }
    }

    private RollcallException corrupt(ModelPack pack, PackStatus status) {
        FileStatus bad = first(status, State.CORRUPT);
        Map<String, Object> details = details(pack, bad);
        if (bad.actualSha256() != null) {
            details.put("actual_sha256", bad.actualSha256());
        }
        details.put("problem", bad.problem());
        return new RollcallException(ErrorCode.MODEL_NOT_LOADED, "Model file " + bad.file().path() + " of pack '"
                + pack.name() + "' is corrupt (" + bad.path() + "): " + bad.problem() + ". Reinstall it with "
                + installCommand(pack), details);
    }

    private RollcallException missing(ModelPack pack, PackStatus status, String downloadError) {
        FileStatus absent = first(status, State.MISSING);
        Map<String, Object> details = details(pack, absent);
        String why;
        if (downloadError != null) {
            details.put("download_error", downloadError);
            why = "automatic download failed: " + downloadError;
        } else if (!autoDownload) {
            why = "AUTO_DOWNLOAD_MODELS is off";
        } else {
            why = "the pack has no download URL";
        }
        return new RollcallException(ErrorCode.MODEL_NOT_LOADED, "Model pack '" + pack.name() + "' is not installed: "
                + absent.file().path() + " is missing from " + modelsDir + " (" + why + "). Install it with "
                + installCommand(pack), details);
    }

    private Map<String, Object> details(ModelPack pack) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pack", pack.name());
        details.put("models_dir", modelsDir.toString());
        details.put("install_command", installCommand(pack));
        return details;
    }

    private Map<String, Object> details(ModelPack pack, FileStatus file) {
        Map<String, Object> details = details(pack);
        details.put("file", file.file().path());
        details.put("path", file.path().toString());
        details.put("expected_sha256", file.file().sha256() != null ? file.file().sha256() : "not pinned");
        return details;
    }

    private static FileStatus first(PackStatus status, State state) {
        return status.files().stream().filter(f -> f.state() == state).findFirst().orElseThrow();
    }

    private static String describe(PackStatus status) {
        return String.join("; ", status.files().stream()
                .map(f -> f.file().path() + " " + f.state().name().toLowerCase(java.util.Locale.ROOT) + (f.problem() == null ? "" : " (" + f.problem() + ")"))
                .toList());
    }

    /**
     * Exception text for people: the chain of messages, where JDK exceptions without one (a refused connection)
     * contribute their class name, and a cause that repeats its wrapper is said once.
     */
    static String message(Throwable e) {
        List<String> parts = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause() == t ? null : t.getCause()) {
            String text = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.isEmpty() || !parts.getLast().contains(text)) {
                parts.add(text);
            }
        }
        return String.join(": ", parts);
    }

    /** Startup downloads report to the log every tenth of the way (or every 64 MiB when the size is unknown). */
    private static final class LoggedProgress implements DownloadProgress {
        private long lastStep = -1;

        @Override
        public void update(String item, long bytesDone, long bytesTotal) {
            long step = bytesTotal > 0 ? bytesDone * 10 / bytesTotal : bytesDone >> 26;
            if (step != lastStep) {
                lastStep = step;
                log.info("Downloading {}: {} of {} bytes", item, bytesDone, bytesTotal > 0 ? bytesTotal : "?");
            }
        }
    }
}

package io.rollcall.engine.model;

import io.rollcall.engine.model.ModelPack.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Puts a pack's files into MODELS_DIR from a downloaded archive, a local zip or a folder. Files are found by file
 * name wherever they sit in the source (antelopev2.zip nests them in an extra folder), each is written to a hidden
 * temporary file beside its destination, verified, and moved into place atomically: a crash never leaves a
 * half-written {@code .onnx} under its final name.
 */
final class PackInstaller {
    /** Cap for any one file: above every published face model (glintr100, the largest, is 261 MB). */
    static final long MAX_FILE_BYTES = 2L << 30;
    /** How deep a {@code --from} folder is searched; enough for {@code shared/models/<pack>/<file>} layouts. */
    private static final int FOLDER_SEARCH_DEPTH = 4;

    private final Path modelsDir;
    private final DigestCache digests;
    private final ArchiveDownloader downloader;

    PackInstaller(Path modelsDir, DigestCache digests, ArchiveDownloader downloader) {
        this.modelsDir = modelsDir;
        this.digests = digests;
        this.downloader = downloader;
    }

    /**
     * Downloads (or resumes) the archive into {@code MODELS_DIR/.downloads}, verifies it against the pins given,
     * extracts {@code needed}, then deletes it: a verified pack does not need its 300 MB zip any more.
     */
    void installFromUrl(ModelPack pack, URI url, String archiveSha256, Long archiveSize, List<ModelFile> needed,
                        DownloadProgress progress) throws IOException {
        Path zip = ModelsFolder.downloads(modelsDir).resolve(pack.name() + ".zip");
        downloader.download(url, archiveSha256, archiveSize, zip, progress);
        try {
            extract(zip, url.toString(), needed);
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    /** From a local zip, or from a folder holding the files (by name, in any sub-folder). */
    void installFromPath(Path source, List<ModelFile> needed) throws IOException {
        if (Files.isDirectory(source)) {
            copyFromFolder(source, needed);
        } else if (Files.isRegularFile(source)) {
            extract(source, source.toString(), needed);
        } else {
            throw new InstallFailure("No such zip file or folder: " + source);
        }
    }

    private void extract(Path zipPath, String origin, List<ModelFile> needed) throws IOException {
        try (ZipFile zip = new ZipFile(zipPath.toFile())) {
            List<? extends ZipEntry> entries = zip.stream().toList();
            for (ZipEntry entry : entries) {
                String problem = unsafeEntryProblem(entry.getName());
                if (problem != null) {
                    throw new InstallFailure("Archive " + origin + " is rejected: entry '" + entry.getName() + "' "
                            + problem, Map.of("archive", origin, "entry", entry.getName()));
                }
            }
            List<ZipEntry> files = entries.stream().filter(e -> !e.isDirectory()).map(e -> (ZipEntry) e).toList();
            for (ModelFile file : needed) {
                ZipEntry entry = choose(files, e -> e.getName().replace('\\', '/'), file, origin);
                long cap = cap(file);
                if (entry.getSize() > cap) {
                    throw new InstallFailure("Archive " + origin + ": entry '" + entry.getName() + "' declares "
                            + entry.getSize() + " bytes, more than the " + cap + " expected for " + file.path(),
                            Map.of("archive", origin, "entry", entry.getName(), "file", file.path()));
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    place(in, file, origin + "!" + entry.getName());
                }
            }
        } catch (ZipException e) {
            throw new InstallFailure("Archive " + origin + " is not a readable zip file: " + e.getMessage(),
                    Map.of("archive", origin));
        }
    }

    private void copyFromFolder(Path folder, List<ModelFile> needed) throws IOException {
        for (ModelFile file : needed) {
            String name = fileName(file.path());
            List<Path> candidates;
            try (Stream<Path> found = Files.find(folder, FOLDER_SEARCH_DEPTH,
                    (path, attributes) -> attributes.isRegularFile() && path.getFileName().toString().equals(name),
                    FileVisitOption.FOLLOW_LINKS)) {
                candidates = found.toList();
            }
            Path source = choose(candidates, path -> folder.relativize(path).toString().replace('\\', '/'), file,
                    folder.toString());
            try (InputStream in = Files.newInputStream(source)) {
                place(in, file, source.toString());
            }
        }
    }

    /**
     * The single source entry for {@code file}: the only one with its file name, or, when several share the name
     * (a whole MODELS_DIR zipped up), the one laid out exactly as the manifest path.
     */
    private static <T> T choose(List<T> candidates, Function<T, String> relativeName, ModelFile file, String origin)
            throws InstallFailure {
        String name = fileName(file.path());
        List<T> byName = candidates.stream().filter(c -> fileName(relativeName.apply(c)).equals(name)).toList();
        if (byName.size() == 1) {
            return byName.getFirst();
        }
        if (byName.isEmpty()) {
            throw new InstallFailure(origin + " contains no file named " + name,
                    Map.of("source", origin, "file", file.path()));
        }
        List<T> exact = byName.stream().filter(c -> {
            String relative = relativeName.apply(c);
            return relative.equals(file.path()) || relative.endsWith("/" + file.path());
        }).toList();
        if (exact.size() == 1) {
            return exact.getFirst();
        }
        throw new InstallFailure(origin + " contains several files named " + name + " ("
                + String.join(", ", byName.stream().map(relativeName).toList()) + "); keep only the one for "
                + file.path(), Map.of("source", origin, "file", file.path()));
    }

    /** Streams one file to a temporary sibling, checks size and hash, then renames it into place. */
    private void place(InputStream in, ModelFile file, String origin) throws IOException {
        Path target = ModelsFolder.resolve(modelsDir, file);
        Files.createDirectories(target.getParent());
        long cap = cap(file);
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            MessageDigest digest = FileHasher.newDigest();
            long written = 0;
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(channel);
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    written += n;
                    // Counted on the inflated bytes, whatever the zip header claims: the zip-bomb guard.
                    if (written > cap) {
                        throw new InstallFailure(origin + " is larger than the " + cap + " bytes expected for "
                                + file.path(), Map.of("file", file.path(), "source", origin));
                    }
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
                channel.force(true); // on disk before the rename makes it visible
            }
            String actual = FileHasher.hex(digest);
            if (file.size() != null && written != file.size()) {
                throw new InstallFailure(origin + " is " + written + " bytes, expected " + file.size() + " for "
                        + file.path(), Map.of("file", file.path(), "expected_size", file.size(), "actual_size", written));
            }
            if (file.sha256() != null && !file.sha256().equals(actual)) {
                throw new InstallFailure(origin + " has sha256 " + actual + ", expected " + file.sha256() + " for "
                        + file.path(), Map.of("file", file.path(), "expected_sha256", file.sha256(),
                        "actual_sha256", actual));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            digests.recordInstalled(target, actual);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static long cap(ModelFile file) {
        return file.size() != null ? Math.min(file.size(), MAX_FILE_BYTES) : MAX_FILE_BYTES;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Null for a harmless entry name. Entries are never written by their own path, but an archive that tries to
     * climb out of its folder (zip-slip) is hostile or broken, and nothing in it is trusted.
     */
    static String unsafeEntryProblem(String name) {
        String normalized = name.replace('\\', '/');
        if (normalized.startsWith("/") || normalized.matches("^[A-Za-z]:.*")) {
            return "has an absolute path";
        }
        for (String segment : normalized.split("/")) {
            if (segment.equals("..")) {
                return "climbs out of the archive with '..'";
            }
        }
        return null;
    }
}

package io.rollcall.engine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * SHA-256 of model files, remembered in {@code MODELS_DIR/.digests.json} keyed by path, size and modification time,
 * so a restart does not re-read 500 MB of weights. A file rewritten in place gets a new mtime and is hashed again.
 *
 * <p>The cache also keeps the digest a file had when it was installed (or first seen): for a manifest without a
 * pinned hash, that is what later loads are checked against (trust on first install).
 *
 * <p>Only an optimisation: when MODELS_DIR is read-only or the file is damaged it lives in memory alone. Two processes
 * saving at once lose each other's new entries, which only costs a re-hash.
 */
final class DigestCache {
    static final String FILE_NAME = ".digests.json";
    private static final Logger log = LoggerFactory.getLogger(DigestCache.class);

    private record Entry(long size, long mtimeNanos, String sha256, String installedSha256) {
    }

    private final Path modelsDir;
    private final FileHasher hasher;
    private final Map<String, Entry> entries = new HashMap<>();
    private boolean memoryOnly;

    DigestCache(Path modelsDir, FileHasher hasher) {
        this.modelsDir = modelsDir;
        this.hasher = hasher;
        load();
    }

    /**
     * The file's SHA-256, hashing it only when its size or mtime changed since it was last hashed, or when
     * {@code rehash} asks for the file to be read regardless.
     */
    synchronized String sha256(Path file, boolean rehash) throws IOException {
        String key = key(file);
        BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
        Entry known = entries.get(key);
        if (!rehash && known != null && matches(known, now)) {
            return known.sha256();
        }
        String digest = hasher.sha256(file);
        put(key, new Entry(now.size(), mtime(now), digest, known == null ? null : known.installedSha256()));
        return digest;
    }

    /** The digest recorded when the file was installed or first trusted, or {@code null}. */
    synchronized String installedSha256(Path file) {
        Entry known = entries.get(key(file));
        return known == null ? null : known.installedSha256();
    }

    /** Records a file just written and verified by the installer, so the next load does not hash it again. */
    synchronized void recordInstalled(Path file, String sha256) throws IOException {
        BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
        put(key(file), new Entry(now.size(), mtime(now), sha256, sha256));
    }

    /** Trust on first use: remembers the digest of an unpinned file found already in place. */
    synchronized void trust(Path file, String sha256) {
        Entry known = entries.get(key(file));
        if (known != null && known.installedSha256() == null) {
            put(key(file), new Entry(known.size(), known.mtimeNanos(), known.sha256(), sha256));
        }
    }

    private static boolean matches(Entry entry, BasicFileAttributes now) {
        return entry.sha256() != null && entry.size() == now.size() && entry.mtimeNanos() == mtime(now);
    }

    private static long mtime(BasicFileAttributes attributes) {
        return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    // Keys are relative to MODELS_DIR so the cache survives the folder being mounted elsewhere.
    private String key(Path file) {
        return modelsDir.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private void put(String key, Entry entry) {
        entries.put(key, entry);
        save();
    }

    private void load() {
        Path file = modelsDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            JsonNode files = ManifestReader.JSON.readTree(Files.readAllBytes(file)).path("files");
            for (Map.Entry<String, JsonNode> e : files.properties()) {
                JsonNode v = e.getValue();
                entries.put(e.getKey(), new Entry(v.path("size").asLong(-1), v.path("mtime_ns").asLong(-1),
                        v.path("sha256").stringValue(null), v.path("installed_sha256").stringValue(null)));
            }
        } catch (IOException | JacksonException e) {
            log.debug("Ignoring unreadable digest cache {}: {}", file, e.getMessage());
            entries.clear();
        }
    }

    private void save() {
        if (memoryOnly || !Files.isDirectory(modelsDir)) {
            return; // a folder that does not exist yet is created by the installer, and saved into then
        }
        if (!ModelsFolder.writable(modelsDir)) {
            goMemoryOnly("MODELS_DIR " + modelsDir + " is read-only");
            return;
        }
        ObjectNode root = ManifestReader.JSON.createObjectNode();
        root.put("version", 1);
        ObjectNode files = root.putObject("files");
        new TreeMap<>(entries).forEach((key, entry) -> {
            ObjectNode node = files.putObject(key);
            node.put("size", entry.size());
            node.put("mtime_ns", entry.mtimeNanos());
            node.put("sha256", entry.sha256());
            node.put("installed_sha256", entry.installedSha256());
        });
        try {
            ModelsFolder.writeAtomically(modelsDir.resolve(FILE_NAME),
                    ManifestReader.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException | JacksonException e) {
            goMemoryOnly("cannot write " + FILE_NAME + ": " + e.getMessage());
        }
    }

    // Said once, quietly: a read-only folder is a supported setup (CI's shared weights), not something to warn about.
    private void goMemoryOnly(String why) {
        memoryOnly = true;
        log.debug("Model digest cache kept in memory only ({}); files are hashed again after a restart", why);
    }
}

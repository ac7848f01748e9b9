package io.rollcall.engine.model;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model packs this installation knows: the built-in manifests shipped in the jar, plus any
 * {@code MODELS_DIR/packs/*.json} written by the operator. A user manifest with a built-in's name replaces it.
 */
public final class PackCatalog {
    private static final Logger log = LoggerFactory.getLogger(PackCatalog.class);

    // The worker pom copies ../models/packs here; index.txt lists the names because a jar's folders cannot be listed reliably.
    private static final String BUILT_IN_ROOT = "/io/rollcall/engine/model/packs/";

    private final Map<String, ModelPack> packs;
    private final Map<String, String> sources;

    private PackCatalog(Map<String, ModelPack> packs, Map<String, String> sources) {
        this.packs = packs;
        this.sources = sources;
    }

    /** Only the manifests shipped in the jar. */
    public static PackCatalog builtIn() {
        Map<String, ModelPack> packs = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        for (String name : builtInNames()) {
            String resource = BUILT_IN_ROOT + name + ".json";
            packs.put(name, ManifestReader.read("classpath:" + resource, name, readResource(resource)));
            sources.put(name, "built-in");
        }
        return new PackCatalog(packs, sources);
    }

    /**
     * Built-in manifests overlaid with {@code modelsDir/packs/*.json}.
     *
     * @throws ManifestException naming the file and field when a manifest is malformed: a pack the operator meant to
     *                           define is never skipped silently
     */
    public static PackCatalog load(Path modelsDir) {
        PackCatalog builtIn = builtIn();
        Map<String, ModelPack> packs = new TreeMap<>(builtIn.packs);
        Map<String, String> sources = new TreeMap<>(builtIn.sources);
        Path folder = modelsDir.resolve("packs");
        if (!Files.isDirectory(folder)) {
            return new PackCatalog(packs, sources);
        }
        try (DirectoryStream<Path> manifests = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : manifests) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                ModelPack pack = ManifestReader.read(file.toString(), name, Files.readAllBytes(file));
                ModelPack previous = packs.put(name, pack);
                // With the default MODELS_DIR (./models) the built-in folder itself is scanned: only differences matter.
                if (previous != null && !previous.equals(pack)) {
                    log.info("Model pack '{}' from {} overrides the built-in manifest", name, file);
                }
                if (!pack.equals(previous)) {
                    sources.put(name, file.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model pack manifests in " + folder, e);
        }
        return new PackCatalog(packs, sources);
    }

    /** Every pack, ordered by name. */
    public List<ModelPack> packs() {
        return List.copyOf(packs.values());
    }

    public Optional<ModelPack> find(String name) {
        return Optional.ofNullable(packs.get(name));
    }

    /** The named pack, or {@link ErrorCode#MODEL_NOT_LOADED} listing the known names. */
    public ModelPack require(String name) {
        ModelPack pack = packs.get(name);
        if (pack == null) {
            throw new RollcallException(ErrorCode.MODEL_NOT_LOADED,
                    "Unknown model pack '" + name + "'; known packs: " + String.join(", ", packs.keySet()),
                    Map.of("pack", name, "known_packs", List.copyOf(packs.keySet())));
        }
        return pack;
    }

    /** {@code built-in}, or the path of the user manifest that defined or replaced the pack. */
    public String source(String name) {
        return sources.getOrDefault(name, "unknown");
    }

    static List<String> builtInNames() {
        String index = new String(readResource(BUILT_IN_ROOT + "index.txt"), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        for (String line : index.split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        return names;
    }

    private static byte[] readResource(String resource) {
        try (InputStream in = PackCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Built-in model manifest " + resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }
}

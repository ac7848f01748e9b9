package io.rollcall.engine.model;

import io.rollcall.engine.model.ModelPack.Archive;
import io.rollcall.engine.model.ModelPack.ColourOrder;
import io.rollcall.engine.model.ModelPack.InputSpec;
import io.rollcall.engine.model.ModelPack.ModelFile;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a pack manifest (snake_case JSON, see {@code models/README.md}) into a {@link ModelPack}. The tree is walked
 * by hand rather than data-bound so that every error names the exact field, and unknown fields are rejected so a
 * typo ({@code "sha265"}) cannot silently switch verification off.
 */
final class ManifestReader {

    /** The package's one JSON configuration; duplicate keys are an error, since the second would win silently. */
    static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    // "notes" documents the pack's numbers (threshold, hashes) for people; the engine does not need it.
    private static final Set<String> PACK_FIELDS = Set.of("name", "description", "licence", "notes", "detector",
            "recognizer", "embedding_dim", "recommended_threshold", "sample_match_threshold", "impostor_tail", "archive");
    private static final Set<String> TAIL_FIELDS = Set.of("score_at_far", "far", "scale");
    private static final Set<String> FILE_FIELDS = Set.of("path", "sha256", "size", "input");
    private static final Set<String> INPUT_FIELDS = Set.of("size", "mean", "std", "colour_order");
    private static final Set<String> ARCHIVE_FIELDS = Set.of("url", "sha256", "size");

    private ManifestReader() {
    }

    /**
     * @param source       what to call the manifest in errors (a file path or classpath resource)
     * @param expectedName the name the file promises ({@code <name>.json}); the manifest's {@code name} must match it
     */
    static ModelPack read(String source, String expectedName, byte[] json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new ManifestException(source, "", "not valid JSON: " + e.getOriginalMessage());
        }
        Field root = new Field(source, "", tree).object(PACK_FIELDS);
        String name = root.child("name").string();
        if (!NAME.matcher(name).matches()) {
            throw root.child("name").invalid("must be lower-case letters, digits, '_', '-' or '.' (at most 64)");
        }
        if (!name.equals(expectedName)) {
            throw root.child("name").invalid("is '" + name + "' but the file is named " + expectedName + ".json");
        }
        String description = root.child("description").string();
        String licence = root.child("licence").string();
        root.child("notes").optionalString();
        ModelFile detector = file(root.child("detector"));
        ModelFile recognizer = file(root.child("recognizer"));
        if (detector.path().equals(recognizer.path())) {
            throw root.child("recognizer").child("path").invalid("is the same file as the detector");
        }
        long dim = root.child("embedding_dim").integer();
        if (dim <= 0 || dim > 65_536) {
            throw root.child("embedding_dim").invalid("must be between 1 and 65536, not " + dim);
        }
        double threshold = root.child("recommended_threshold").number();
        if (threshold < -1 || threshold > 1) {
            throw root.child("recommended_threshold").invalid("is a cosine similarity, so between -1 and 1, not " + threshold);
        }
        Field sampleMatch = root.child("sample_match_threshold");
        double sampleMatchThreshold = sampleMatch.absent() ? threshold : sampleMatch.number();
        if (sampleMatchThreshold < -1 || sampleMatchThreshold > 1) {
            throw sampleMatch.invalid("is a cosine similarity, so between -1 and 1, not " + sampleMatchThreshold);
        }
        Field tail = root.child("impostor_tail");
        Field archive = root.child("archive");
        return new ModelPack(name, description, licence, detector, recognizer, (int) dim, threshold, sampleMatchThreshold,
                tail.absent() ? null : impostorTail(tail), archive.absent() ? null : archive(archive));
    }

    private static ModelPack.ImpostorTail impostorTail(Field at) {
        Field tail = at.object(TAIL_FIELDS);
        try {
            return new ModelPack.ImpostorTail(tail.child("score_at_far").number(), tail.child("far").number(),
                    tail.child("scale").number());
        } catch (IllegalArgumentException e) {
            throw tail.invalid(e.getMessage());
        }
    }

    private static ModelFile file(Field at) {
        Field file = at.object(FILE_FIELDS);
        String path = file.child("path").string();
        String problem = relativePathProblem(path);
        if (problem != null) {
            throw file.child("path").invalid(problem);
        }
        return new ModelFile(path, sha256(file.child("sha256")), size(file.child("size")), input(file.child("input")));
    }

    private static InputSpec input(Field at) {
        Field input = at.object(INPUT_FIELDS);
        long size = input.child("size").integer();
        if (size < 0 || size > 8192) {
            throw input.child("size").invalid("must be 0 (dynamic) or a side in pixels up to 8192, not " + size);
        }
        double mean = input.child("mean").number();
        double std = input.child("std").number();
        if (std == 0) {
            throw input.child("std").invalid("must not be zero");
        }
        String order = input.child("colour_order").string();
        ColourOrder colourOrder;
        try {
            colourOrder = ColourOrder.valueOf(order.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw input.child("colour_order").invalid("must be RGB or BGR, not '" + order + "'");
        }
        return new InputSpec((int) size, (float) mean, (float) std, colourOrder);
    }

    private static Archive archive(Field at) {
        Field archive = at.object(ARCHIVE_FIELDS);
        String url = archive.child("url").string();
        try {
            String scheme = new URI(url).getScheme();
            if (scheme == null || !Set.of("http", "https", "file").contains(scheme.toLowerCase(Locale.ROOT))) {
                throw archive.child("url").invalid("must be an http, https or file URL, not '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw archive.child("url").invalid("is not a valid URL: " + e.getReason());
        }
        return new Archive(url, sha256(archive.child("sha256")), size(archive.child("size")));
    }

    private static String sha256(Field at) {
        String value = at.optionalString();
        if (value != null && !SHA256.matcher(value).matches()) {
            throw at.invalid("must be 64 lower-case hex digits or null");
        }
        return value;
    }

    private static Long size(Field at) {
        if (at.absent()) {
            return null;
        }
        long size = at.integer();
        if (size <= 0) {
            throw at.invalid("must be a positive number of bytes or null");
        }
        return size;
    }

    /** Null when {@code path} is a plain relative path inside MODELS_DIR; otherwise what is wrong with it. */
    static String relativePathProblem(String path) {
        if (path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            return "must be a relative path with '/' separators, not '" + path + "'";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "must stay inside MODELS_DIR (no empty, '.' or '..' segments): '" + path + "'";
            }
        }
        return null;
    }

    /** One field of the manifest, with its dotted path for error messages. */
    private record Field(String source, String path, JsonNode node) {

        Field child(String name) {
            return new Field(source, path.isEmpty() ? name : path + "." + name, node == null ? null : node.get(name));
        }

        boolean absent() {
            return node == null || node.isNull();
        }

        ManifestException invalid(String problem) {
            return new ManifestException(source, path, problem);
        }

        Field object(Set<String> allowed) {
            if (absent()) {
                throw invalid("is required");
            }
            if (!node.isObject()) {
                throw invalid("must be an object");
            }
            for (String name : node.propertyNames()) {
                if (!allowed.contains(name)) {
                    throw child(name).invalid("is not a known field (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
            return this;
        }

        String string() {
            if (absent()) {
                throw invalid("is required");
            }
            if (!node.isString() || node.stringValue().isBlank()) {
                throw invalid("must be a non-empty string");
            }
            return node.stringValue();
        }

        String optionalString() {
            return absent() ? null : string();
        }

        long integer() {
            if (absent()) {
                throw invalid("is required");
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw invalid("must be a whole number");
            }
            return node.longValue();
        }

        double number() {
            if (absent()) {
                throw invalid("is required");
            }
            if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
                throw invalid("must be a number");
            }
            return node.doubleValue();
        }
    }
}

package io.rollcall.engine.model;

import io.rollcall.engine.model.ModelPack.Archive;
import io.rollcall.engine.model.ModelPack.ColourOrder;
import io.rollcall.engine.model.ModelPack.InputSpec;
import io.rollcall.engine.model.ModelPack.ModelFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The real weights in {@code ../shared/models} (see its PROVENANCE.md) and packs and zip archives built from them.
 * Surefire passes the folder as {@code rollcall.shared}; run from the worker module, {@code ../../shared} is the same place.
 */
final class RealWeights {
    // Published in ../shared/models/PROVENANCE.md; the tests prove the files (and our pins) still match them.
    static final String DET_500M_SHA256 = "5e4447f50245bbd7966bd6c0fa52938c61474a04ec7def48753668a9d8b4ea3a";
    static final long DET_500M_SIZE = 2_524_817;
    static final String FR_FEATURE_SHA256 = "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581";
    static final long FR_FEATURE_SIZE = 4_884_269;

    private static byte[] detector;
    private static byte[] recognizer;

    private RealWeights() {
    }

    static Path shared() {
        return Path.of(System.getProperty("rollcall.shared", "../../shared")).toAbsolutePath().normalize();
    }

    static Path sharedModels() {
        return shared().resolve("models");
    }

    static synchronized byte[] detectorBytes() {
        if (detector == null) {
            detector = read(sharedModels().resolve("buffalo_sc/det_500m.onnx"));
        }
        return detector;
    }

    static synchronized byte[] recognizerBytes() {
        if (recognizer == null) {
            recognizer = read(sharedModels().resolve("faceplugin/fr_feature.onnx"));
        }
        return recognizer;
    }

    /** det_500m + fr_feature under {@code <name>/}, pinned with their real hashes and sizes. */
    static ModelPack pack(String name, Archive archive) {
        return pack(name, DET_500M_SHA256, archive);
    }

    /** As {@link #pack(String, Archive)} with the detector pinned to {@code detectorSha256} (null: unpinned). */
    static ModelPack pack(String name, String detectorSha256, Archive archive) {
        ModelFile det = new ModelFile(name + "/det_500m.onnx", detectorSha256, DET_500M_SIZE,
                new InputSpec(0, 127.5f, 128f, ColourOrder.RGB));
        ModelFile rec = new ModelFile(name + "/fr_feature.onnx", FR_FEATURE_SHA256, FR_FEATURE_SIZE,
                new InputSpec(112, 127f, 128f, ColourOrder.RGB));
        return new ModelPack(name, "test pack built from the real dev weights", "dev/test only", det, rec, 512, 0.4, 0.4, null, archive);
    }

    /** The two real files at the top of a zip, as buffalo_*.zip lays them out. */
    static byte[] flatZip() {
        return zip(Map.of("det_500m.onnx", detectorBytes(), "fr_feature.onnx", recognizerBytes()));
    }

    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] bytes) {
        MessageDigest digest = FileHasher.newDigest();
        return HexFormat.of().formatHex(digest.digest(bytes));
    }

    static String sha256(Path file) {
        try {
            return FileHasher.sha256Of(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Real weights missing: " + file + " (is ../shared beside the repository?)", e);
        }
    }
}

package io.rollcall.engine.model;

import java.util.Objects;

/**
 * A model pack: one face detector and one face recognizer, with everything needed to run them as their
 * authors did. Built-in packs are JSON manifests in the top-level {@code models/packs/} folder; users may add
 * their own manifest to {@code MODELS_DIR}.
 *
 * @param name                 pack name, also the {@code INSIGHTFACE_MODEL} value that selects it
 * @param description          one line for {@code models list}
 * @param licence              licence of the weights (InsightFace weights are non-commercial research only)
 * @param detector             SCRFD detector file and its input convention
 * @param recognizer           ArcFace-style recognizer file and its input convention
 * @param embeddingDim         length of the recognizer's output vector
 * @param recommendedThreshold cosine similarity at which this pack's recognizer separates identities well
 * @param sampleMatchThreshold cosine similarity below which a new photo of an enrolled person is taken for someone
 *                             else ({@code SAMPLE_MISMATCH}): the pack's impostor-pair similarity at a false-match
 *                             rate of 1 in 1,000 where measured, else {@code recommendedThreshold}
 * @param archive              where the official release archive lives, or {@code null} when there is none
 */
public record ModelPack(
        String name,
        String description,
        String licence,
        ModelFile detector,
        ModelFile recognizer,
        int embeddingDim,
        double recommendedThreshold,
        double sampleMatchThreshold,
        Archive archive) {

    public ModelPack {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(recognizer, "recognizer");
        if (embeddingDim <= 0) {
            throw new IllegalArgumentException("embedding_dim must be positive: " + embeddingDim);
        }
    }

    /**
     * One ONNX file of a pack.
     *
     * @param path   path relative to {@code MODELS_DIR}, for example {@code buffalo_l/det_10g.onnx}
     * @param sha256 pinned SHA-256 (lower-case hex), or {@code null} where no trustworthy hash is known
     * @param size   size in bytes, or {@code null} where unknown
     * @param input  how pixels are turned into the network's input tensor
     */
    public record ModelFile(String path, String sha256, Long size, InputSpec input) {
        public ModelFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(input, "input");
        }
    }

    /**
     * The network's input convention: {@code value = (pixel - mean) / std} per channel, in {@code colourOrder}.
     *
     * @param size square input side in pixels for fixed-size inputs (112 for ArcFace), 0 where the input is dynamic
     */
    public record InputSpec(int size, float mean, float std, ColourOrder colourOrder) {
        public InputSpec {
            if (std == 0f) {
                throw new IllegalArgumentException("std must not be zero");
            }
            Objects.requireNonNull(colourOrder, "colourOrder");
        }
    }

    public enum ColourOrder { RGB, BGR }

    /**
     * A release archive that contains the pack's files.
     *
     * @param url    download address (https, http or file)
     * @param sha256 pinned SHA-256 of the archive, or {@code null}
     * @param size   archive size in bytes, or {@code null}
     */
    public record Archive(String url, String sha256, Long size) {
        public Archive {
            Objects.requireNonNull(url, "url");
        }
    }
}

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
 * @param impostorTail         the pack's measured impostor-score tail, for the open-set decision; {@code null}
 *                             where none was measured (the decision then falls back to {@code recommendedThreshold})
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
        ImpostorTail impostorTail,
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
     * How often two different people's faces score high with this pack's recognizer: above {@code scoreAtFar} one
     * impostor pair in {@code 1/far} does, and beyond it the rate falls off exponentially with {@code scale}:
     * {@code rate(s) = far · exp(−(s − scoreAtFar) / scale)}. Fitted on a large labelled set's impostor pairs
     * ({@code ./rollcall calibrate}): {@code scoreAtFar} is their {@code (1 − far)} quantile and {@code scale} the mean
     * excess above it.
     */
    public record ImpostorTail(double scoreAtFar, double far, double scale) {
        public ImpostorTail {
            if (!(scoreAtFar > -1 && scoreAtFar < 1)) {
                throw new IllegalArgumentException("score_at_far must be a cosine similarity in (-1, 1), got " + scoreAtFar);
            }
            if (!(far > 0 && far < 1)) {
                throw new IllegalArgumentException("far must be in (0, 1), got " + far);
            }
            if (!(scale > 0 && scale < 1)) {
                throw new IllegalArgumentException("scale must be in (0, 1), got " + scale);
            }
        }
    }

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

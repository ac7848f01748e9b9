package io.rollcall.reembed;

import io.rollcall.error.RollcallException;

/** The configured pack, as the re-embedding sees it: its name, its dimension, and a photo's embedding. */
public interface PhotoEmbedder {

    /** The pack name written into the new descriptors. */
    String model();

    /** The length of the pack's embeddings. */
    int dim();

    /**
     * The embedding of the photo's primary face.
     *
     * @throws RollcallException {@code INVALID_IMAGE} or {@code IMAGE_TOO_LARGE} for a photo that does not
     *                           decode, {@code NO_FACE_DETECTED} or {@code MULTIPLE_FACES} when no face can be used
     */
    float[] embed(byte[] photo);

    /** The pack's name and dimension without an engine: enough for a dry run, which embeds nothing. */
    static PhotoEmbedder countingOnly(String model, int dim) {
        return new PhotoEmbedder() {
            @Override
            public String model() {
                return model;
            }

            @Override
            public int dim() {
                return dim;
            }

            @Override
            public float[] embed(byte[] photo) {
                throw new IllegalStateException("a dry run embeds nothing");
            }
        };
    }
}

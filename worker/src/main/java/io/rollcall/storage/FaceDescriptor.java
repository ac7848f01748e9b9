package io.rollcall.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * A face embedding as Rollcall stores it in {@code FaceData.FaceDescriptor}: the model pack that produced it and
 * the vector. Two descriptors are equal when the model and every float's bits are equal.
 *
 * @param model     the pack name, for example {@code buffalo_l}: embeddings of different packs are not comparable
 * @param embedding the recognizer's output; finite values only (JSON has no NaN); the record keeps its own copy
 */
public record FaceDescriptor(String model, float[] embedding) {

    public FaceDescriptor {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("descriptor model must not be blank");
        }
        Objects.requireNonNull(embedding, "embedding");
        if (embedding.length == 0) {
            throw new IllegalArgumentException("embedding must not be empty");
        }
        embedding = embedding.clone();
        for (int i = 0; i < embedding.length; i++) {
            if (!Float.isFinite(embedding[i])) {
                throw new IllegalArgumentException("embedding[" + i + "] is not finite");
            }
        }
    }

    /** The embedding's length, written as {@code "dim"}. */
    public int dim() {
        return embedding.length;
    }

    /** A copy of the vector. */
    @Override
    public float[] embedding() {
        return embedding.clone();
    }

    /** The vector without copying, for this package's hot paths that only read it. */
    float[] embeddingView() {
        return embedding;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaceDescriptor other && model.equals(other.model)
                && Arrays.equals(embedding, other.embedding);
    }

    @Override
    public int hashCode() {
        return 31 * model.hashCode() + Arrays.hashCode(embedding);
    }

    /** Model and dimension only: an embedding is biometric data and never goes into a log line. */
    @Override
    public String toString() {
        return "FaceDescriptor[model=" + model + ", dim=" + embedding.length + "]";
    }
}

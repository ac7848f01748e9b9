package io.rollcall.storage;

/**
 * What a {@code FaceData.FaceDescriptor} value turned out to be: Rollcall's format, or anything else.
 */
public sealed interface DecodedDescriptor {

    /** A descriptor in Rollcall's format (which may still be of another model than the one in use). */
    record Rollcall(FaceDescriptor descriptor) implements DecodedDescriptor {
    }

    /**
     * Anything else, left as it is: the old system's bare array of 128 numbers, an empty or missing value, or text
     * that is not a readable descriptor. Never compared with Rollcall's embeddings.
     *
     * @param shape a short description for logs and reports, such as {@code "array of 128 numbers"}
     */
    record Legacy(String shape) implements DecodedDescriptor {
    }
}

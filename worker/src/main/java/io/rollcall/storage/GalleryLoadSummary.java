package io.rollcall.storage;

/**
 * What a gallery load found in {@code FaceData}.
 *
 * @param loaded     samples of the requested model and dimension, handed to the receiver
 * @param legacy     rows not in Rollcall's format (the old system's 128-number arrays, empty or unreadable values)
 * @param otherModel rows in Rollcall's format but of another pack or dimension
 * @param unusable   rows in the right format that still cannot be searched: a type or code that denotes no
 *                   person, or an all-zero vector
 */
public record GalleryLoadSummary(int loaded, int legacy, int otherModel, int unusable) {

    /** Every row the load read. */
    public int total() {
        return loaded + legacy + otherModel + unusable;
    }
}

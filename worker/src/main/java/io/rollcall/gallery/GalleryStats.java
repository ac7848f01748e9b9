package io.rollcall.gallery;

/**
 * A snapshot of a gallery's size.
 *
 * @param rows      stored samples (vectors)
 * @param persons   distinct persons with at least one sample
 * @param capacity  rows that fit in the blocks allocated now, before the next block is needed
 * @param bytesUsed estimated heap bytes held by the index: vector blocks, row metadata, the sample-id map and
 *                  an estimate of the per-person objects
 */
public record GalleryStats(int rows, int persons, int capacity, long bytesUsed) {
}

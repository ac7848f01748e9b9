package io.rollcall.gallery;

/**
 * A snapshot of a gallery's size.
 *
 * @param rows      stored samples (vectors)
 * @param persons   distinct persons with at least one sample
 * @param capacity  rows that fit in the blocks allocated now, before the next block is needed
 * @param bytesUsed estimated heap bytes held by the index: 8-bit code blocks, scales, row metadata, the sample-id
 *                  map and an estimate of the per-person objects
 * @param exactRowBytes bytes of the exact float rows in the index's row file: on disk, cached by the kernel as
 *                  memory allows, never in the heap
 */
public record GalleryStats(int rows, int persons, int capacity, long bytesUsed, long exactRowBytes) {
}

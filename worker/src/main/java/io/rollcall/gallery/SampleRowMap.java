package io.rollcall.gallery;

import java.util.Arrays;

/**
 * Sample id → row number, as two primitive arrays with open addressing and linear probing: about 12 bytes per
 * slot (24 MB at a million samples) instead of the ~80 bytes per entry of a boxed {@code HashMap<Long, Integer>}.
 *
 * <p>A slot is free when its row is {@link #ABSENT}, so every {@code long} is a valid key. Deletion shifts the
 * following probe run back instead of leaving tombstones, so lookups never slow down after many removals.
 * Not thread-safe: {@link GalleryIndex} guards it with its lock.
 */
final class SampleRowMap {
    static final int ABSENT = -1;

    private static final int MIN_CAPACITY = 16;
    /** Linear probing stays short below ~0.7 load; the map is small next to the vectors, so space is cheap. */
    private static final float MAX_LOAD = 0.7f;

    /** Heap per entry at the worst load before a resize doubles the table (12 bytes a slot, half of them full). */
    static final long BYTES_PER_ENTRY = 24;

    private long[] keys;
    private int[] rows;
    private int size;
    private int shift;
    private int resizeAt;

    SampleRowMap() {
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    /** The row of {@code key}, or {@link #ABSENT}. */
    int get(long key) {
        int mask = rows.length - 1;
        for (int slot = home(key); ; slot = (slot + 1) & mask) {
            int row = rows[slot];
            if (row == ABSENT) {
                return ABSENT;
            }
            if (keys[slot] == key) {
                return row;
            }
        }
    }

    /** Maps {@code key} to {@code row} (≥ 0) and returns the previous row, or {@link #ABSENT}. */
    int put(long key, int row) {
        if (row < 0) {
            throw new IllegalArgumentException("row must not be negative: " + row);
        }
        int mask = rows.length - 1;
        for (int slot = home(key); ; slot = (slot + 1) & mask) {
            int old = rows[slot];
            if (old == ABSENT) {
                keys[slot] = key;
                rows[slot] = row;
                if (++size > resizeAt) {
                    rehash(rows.length * 2);
                }
                return ABSENT;
            }
            if (keys[slot] == key) {
                rows[slot] = row;
                return old;
            }
        }
    }

    /** Removes {@code key} and returns its row, or {@link #ABSENT} when it was not there. */
    int remove(long key) {
        int mask = rows.length - 1;
        int slot = home(key);
        while (true) {
            int row = rows[slot];
            if (row == ABSENT) {
                return ABSENT;
            }
            if (keys[slot] == key) {
                closeGap(slot);
                size--;
                return row;
            }
            slot = (slot + 1) & mask;
        }
    }

    void clear() {
        size = 0;
        allocate(MIN_CAPACITY);
    }

    long bytesUsed() {
        return (long) keys.length * Long.BYTES + (long) rows.length * Integer.BYTES;
    }

    /**
     * Backward-shift deletion: walk the probe run after the freed slot and move back every entry whose home
     * does not lie cyclically in (gap, slot], so no later lookup stops early at the hole.
     */
    private void closeGap(int gap) {
        int mask = rows.length - 1;
        int slot = gap;
        while (true) {
            slot = (slot + 1) & mask;
            if (rows[slot] == ABSENT) {
                break;
            }
            int home = home(keys[slot]);
            boolean stays = gap <= slot ? (gap < home && home <= slot) : (gap < home || home <= slot);
            if (!stays) {
                keys[gap] = keys[slot];
                rows[gap] = rows[slot];
                gap = slot;
            }
        }
        rows[gap] = ABSENT;
    }

    /** Fibonacci hashing: the top bits of key × 2^64/φ spread sequential database ids evenly. */
    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        rows = new int[capacity];
        Arrays.fill(rows, ABSENT);
        shift = Long.numberOfLeadingZeros(capacity) + 1;
        resizeAt = (int) (capacity * MAX_LOAD);
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldRows = rows;
        allocate(capacity);
        int mask = capacity - 1;
        for (int i = 0; i < oldRows.length; i++) {
            if (oldRows[i] != ABSENT) {
                int slot = home(oldKeys[i]);
                while (rows[slot] != ABSENT) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                rows[slot] = oldRows[i];
            }
        }
    }
}

package io.rollcall.gallery;

import java.util.Arrays;

/**
 * The best {@code capacity} persons seen so far, each with its single best sample: a bounded min-heap (worst hit
 * at the root) of parallel primitive arrays, plus a tiny open-addressing table person ordinal → heap slot so a
 * person's second sample updates its entry instead of taking another place.
 *
 * <p>Why this is exact: a person's best sample is always admitted (if k other persons already beat it, the
 * person is not in the top k anyway), and once admitted it is only evicted by k better persons. The same argument
 * makes merging per-thread collectors with {@link #offerAll} exact.
 *
 * <p>"Better" is higher similarity, ties to the lower sample id, so results never depend on row order or on the
 * parallel split. Rows that cannot enter are rejected by the scan loop against {@link #floor()} before any call
 * here, so the common path allocates nothing and touches nothing.
 */
final class PersonTopK {
    private static final int NO_ORDINAL = -1;

    private final int capacity;
    private final float[] scores;
    private final long[] sampleIds;
    private final int[] ordinals;
    private int size;

    // ordinal → heap slot; sized to at most 50% load, so probes stay short.
    private final int[] tableOrdinals;
    private final int[] tableSlots;
    private final int tableMask;

    PersonTopK(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.scores = new float[capacity];
        this.sampleIds = new long[capacity];
        this.ordinals = new int[capacity];
        int tableSize = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        this.tableOrdinals = new int[tableSize];
        this.tableSlots = new int[tableSize];
        this.tableMask = tableSize - 1;
        Arrays.fill(tableOrdinals, NO_ORDINAL);
    }

    int size() {
        return size;
    }

    /**
     * The lowest similarity that could still change this collector: below it a row is certainly rejected. While
     * not full, everything can enter. At equality a row may still win on its lower sample id, so callers offer
     * rows with {@code score >= floor()}.
     */
    float floor() {
        return size < capacity ? Float.NEGATIVE_INFINITY : scores[0];
    }

    void offer(int ordinal, float score, long sampleId) {
        int tableIndex = find(ordinal);
        if (tableOrdinals[tableIndex] == ordinal) {
            int slot = tableSlots[tableIndex];
            if (better(score, sampleId, scores[slot], sampleIds[slot])) {
                scores[slot] = score;
                sampleIds[slot] = sampleId;
                siftDown(slot);
            }
            return;
        }
        if (size < capacity) {
            int slot = size++;
            set(slot, ordinal, score, sampleId);
            tableOrdinals[tableIndex] = ordinal;
            tableSlots[tableIndex] = slot;
            siftUp(slot);
        } else if (better(score, sampleId, scores[0], sampleIds[0])) {
            removeFromTable(ordinals[0]);
            set(0, ordinal, score, sampleId);
            // The removal may have shifted entries, so look up the insertion point again.
            int index = find(ordinal);
            tableOrdinals[index] = ordinal;
            tableSlots[index] = 0;
            siftDown(0);
        }
    }

    /** Offers every entry of {@code other}: merging per-part results of a parallel scan. */
    void offerAll(PersonTopK other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.ordinals[i], other.scores[i], other.sampleIds[i]);
        }
    }

    /**
     * Empties the collector into result order, best first.
     *
     * @param ordinalsOut  receives person ordinals; length at least {@link #size()}
     * @param scoresOut    receives similarities
     * @param sampleIdsOut receives sample ids
     * @return the number of entries written
     */
    int drainBestFirst(int[] ordinalsOut, float[] scoresOut, long[] sampleIdsOut) {
        int count = size;
        // Repeatedly taking the root yields worst first, so fill from the back.
        for (int i = count - 1; i >= 0; i--) {
            ordinalsOut[i] = ordinals[0];
            scoresOut[i] = scores[0];
            sampleIdsOut[i] = sampleIds[0];
            removeFromTable(ordinals[0]);
            size--;
            if (size > 0) {
                moveSlot(size, 0);
                siftDown(0);
            }
        }
        return count;
    }

    static boolean better(float score, long sampleId, float otherScore, long otherSampleId) {
        return score > otherScore || (score == otherScore && sampleId < otherSampleId);
    }

    private void siftUp(int slot) {
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (!better(scores[parent], sampleIds[parent], scores[slot], sampleIds[slot])) {
                return;
            }
            swap(slot, parent);
            slot = parent;
        }
    }

    private void siftDown(int slot) {
        while (true) {
            int left = 2 * slot + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && better(scores[left], sampleIds[left], scores[right], sampleIds[right])) {
                worst = right;
            }
            if (!better(scores[slot], sampleIds[slot], scores[worst], sampleIds[worst])) {
                return;
            }
            swap(slot, worst);
            slot = worst;
        }
    }

    private void swap(int a, int b) {
        int ordinalA = ordinals[a];
        float scoreA = scores[a];
        long sampleA = sampleIds[a];
        moveSlot(b, a);
        set(b, ordinalA, scoreA, sampleA);
        tableSlots[find(ordinalA)] = b;
    }

    /** Copies heap slot {@code from} into {@code to} and points the table at the new slot. */
    private void moveSlot(int from, int to) {
        set(to, ordinals[from], scores[from], sampleIds[from]);
        tableSlots[find(ordinals[from])] = to;
    }

    private void set(int slot, int ordinal, float score, long sampleId) {
        ordinals[slot] = ordinal;
        scores[slot] = score;
        sampleIds[slot] = sampleId;
    }

    /** The table index holding {@code ordinal}, or the free index where it would go. */
    private int find(int ordinal) {
        int index = (ordinal * 0x9E3779B9) >>> 1 & tableMask;
        while (tableOrdinals[index] != NO_ORDINAL && tableOrdinals[index] != ordinal) {
            index = (index + 1) & tableMask;
        }
        return index;
    }

    private void removeFromTable(int ordinal) {
        int gap = find(ordinal);
        // Backward-shift deletion, as in SampleRowMap.
        int index = gap;
        while (true) {
            index = (index + 1) & tableMask;
            int entry = tableOrdinals[index];
            if (entry == NO_ORDINAL) {
                break;
            }
            int home = (entry * 0x9E3779B9) >>> 1 & tableMask;
            boolean stays = gap <= index ? (gap < home && home <= index) : (gap < home || home <= index);
            if (!stays) {
                tableOrdinals[gap] = entry;
                tableSlots[gap] = tableSlots[index];
                gap = index;
            }
        }
        tableOrdinals[gap] = NO_ORDINAL;
    }
}

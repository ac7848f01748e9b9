package io.rollcall.gallery;

/**
 * The rows with the highest approximate similarity seen so far, at most {@code capacity}: a bounded min-heap of
 * (score, row) pairs, worst at the root. The 8-bit scan fills one per thread; their rows are then scored exactly.
 * Unlike {@link PersonTopK} it keeps rows, not persons, because a person's best row by the 8-bit score need not be
 * its best row exactly.
 */
final class CandidateRows {
    private final int capacity;
    private final float[] scores;
    private final int[] rows;
    private int size;

    CandidateRows(int capacity) {
        this.capacity = capacity;
        this.scores = new float[capacity];
        this.rows = new int[capacity];
    }

    int size() {
        return size;
    }

    boolean full() {
        return size == capacity;
    }

    /** Below this a row cannot enter; every row may while not full. */
    float floor() {
        return size < capacity ? Float.NEGATIVE_INFINITY : scores[0];
    }

    /** The score of the worst row held (the root); only meaningful when not empty. */
    float worst() {
        return scores[0];
    }

    int row(int i) {
        return rows[i];
    }

    void offer(int row, float score) {
        if (size < capacity) {
            int slot = size++;
            while (slot > 0) {
                int parent = (slot - 1) >>> 1;
                if (scores[parent] <= score) {
                    break;
                }
                scores[slot] = scores[parent];
                rows[slot] = rows[parent];
                slot = parent;
            }
            scores[slot] = score;
            rows[slot] = row;
        } else if (score > scores[0]) {
            int slot = 0;
            while (true) {
                int left = 2 * slot + 1;
                if (left >= size) {
                    break;
                }
                int smaller = left + 1 < size && scores[left + 1] < scores[left] ? left + 1 : left;
                if (scores[smaller] >= score) {
                    break;
                }
                scores[slot] = scores[smaller];
                rows[slot] = rows[smaller];
                slot = smaller;
            }
            scores[slot] = score;
            rows[slot] = row;
        }
    }

    void offerAll(CandidateRows other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.rows[i], other.scores[i]);
        }
    }
}

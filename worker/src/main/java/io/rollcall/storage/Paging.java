package io.rollcall.storage;

/**
 * Which slice of a listing to read, in {@code FaceData.Id} order.
 *
 * @param offset rows to skip, 0 or more
 * @param limit  rows to return at most, 1 or more; {@link Integer#MAX_VALUE} for all
 */
public record Paging(long offset, int limit) {

    /** Every row. */
    public static final Paging ALL = new Paging(0, Integer.MAX_VALUE);

    public Paging {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    public static Paging of(long offset, int limit) {
        return new Paging(offset, limit);
    }

    boolean isAll() {
        return offset == 0 && limit == Integer.MAX_VALUE;
    }
}

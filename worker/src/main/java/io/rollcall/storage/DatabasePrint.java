package io.rollcall.storage;

import java.util.Map;
import java.util.Objects;

/**
 * A cheap summary of the rows the gallery is built from, computed by the database itself, to tell whether anyone
 * changed them since the last look without reading them: {@code FaceData} in buckets of {@value #BUCKET_IDS}
 * consecutive ids (row count, id sum and the sum of a hash of each row's person), and {@code Student} /
 * {@code Teacher} as a whole (the same over code, name and nickname). An insert, a delete or a row moved to another
 * person changes its bucket's numbers.
 *
 * @param buckets bucket number ({@code Id / BUCKET_IDS}) → its numbers; buckets without rows are absent
 * @param people  the numbers of both person tables
 */
public record DatabasePrint(Map<Long, Numbers> buckets, Numbers people) {

    /** Ids per bucket: a million rows make about 245 buckets, and a changed bucket is re-read in one short query. */
    public static final int BUCKET_IDS = 4096;

    public DatabasePrint {
        buckets = Map.copyOf(buckets);
        Objects.requireNonNull(people, "people");
    }

    /** Rows, sum of ids and sum of row hashes. */
    public record Numbers(long rows, long idSum, long hashSum) {
    }

    /** The first id of bucket {@code bucket}. */
    public static long firstId(long bucket) {
        return bucket * BUCKET_IDS;
    }

    /** The last id of bucket {@code bucket}. */
    public static long lastId(long bucket) {
        return bucket * BUCKET_IDS + BUCKET_IDS - 1;
    }
}

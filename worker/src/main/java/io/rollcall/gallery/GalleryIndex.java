package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.LongPredicate;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory face gallery: every enrolled sample's unit-length embedding, searched exactly (brute-force
 * cosine similarity) for the best sample of each person. The database stays the source of truth; the service
 * commits there first, then mirrors the change here, and rebuilds the index with {@link #addAll} at start.
 *
 * <h2>Layout</h2>
 * Rows live in blocks of {@value #DEFAULT_BLOCK_ROWS} rows (the first one starts small and doubles up to that):
 * a {@code float[]} of {@code rows × dimension} values (32 MB at 512-d) and, in parallel, an {@code int[]} of
 * person ordinals and a {@code long[]} of sample ids. There is no object per vector, the scan reads memory
 * strictly sequentially, and growth allocates one more block instead of copying gigabytes. Deletion moves the last
 * row into the hole, so rows stay dense and a scan never skips gaps; trailing blocks are released as the gallery
 * shrinks. A {@link SampleRowMap} finds the row of a sample id. Each person exists once, as a small ordinal, and
 * the ordinal's {@link PersonType} sits in a plain array so the type filter costs one load per row.
 *
 * <h2>Locking</h2>
 * A non-fair {@link ReentrantReadWriteLock}: searches share the read lock for their whole scan, writes take the
 * write lock only to copy one already-normalised row in or out (microseconds). A search therefore never sees a
 * half-written row, and once {@link #removeSample} has returned, no search that starts afterwards can return the
 * sample. Optimistic {@code StampedLock} reads do not fit: a scan takes up to ~100 ms, so any concurrent write
 * would invalidate it and force a rescan. The non-fair lock still parks new readers behind a queued writer, so
 * an enrollment waits at most for the searches already running (one scan time), not indefinitely.
 *
 * <h2>Parallel scan</h2>
 * A scan of more than {@value #CHUNK_FLOATS} floats (≈2,000 rows at 512-d, ≈0.1 ms on one core) is cut
 * into chunks of that size. The calling thread and up to cores − 1 helpers from a dedicated daemon
 * {@link ForkJoinPool} take chunks from a shared counter, each into its own small {@link PersonTopK}, merged at
 * the end; below two chunks, waking a helper costs more than it saves. Not the common pool: it is shared with
 * parallel streams and async tasks of the rest of the service, which a 100 ms memory scan would hold up, and a
 * search must never wait behind them. At a million rows the scan is bound by memory bandwidth, which one core
 * nearly saturates; the split mainly helps galleries that fit in cache and keeps latency steady when a core is
 * busy elsewhere.
 *
 * <p>Memory: a million 512-d rows need 2.05 GB of vector blocks plus ≈60 MB of ids, ordinals, map and persons;
 * run such a worker with {@code -Xmx3g} or more. Where Linux has transparent huge pages in {@code madvise} mode,
 * {@code -XX:+UseTransparentHugePages} made the million-row scan about 10% faster (fewer TLB misses over 2 GB).
 * This class is thread-safe.
 */
public final class GalleryIndex {

    /**
     * 16,384 rows: a 32 MB block at 512-d, a size G1 places easily as a humongous object even in a fragmented
     * heap, and few enough blocks (62 at a million rows) that the outer arrays stay tiny.
     */
    static final int DEFAULT_BLOCK_ROWS = 1 << 14;

    /** The first block starts this small (128 KB at 512-d) and doubles up to {@link #DEFAULT_BLOCK_ROWS}. */
    private static final int FIRST_BLOCK_MIN_ROWS = 64;

    /** One chunk of a parallel scan: 1 Mi floats = 4 MB, 0.1–0.2 ms on one core, well above a thread hand-off. */
    static final int CHUNK_FLOATS = 1 << 20;

    /**
     * Rough heap cost of one person beside its rows: the {@link PersonRef}, its code string, the registry map
     * entry and boxed ordinal, and the per-ordinal arrays (compressed oops). Only feeds {@link GalleryStats}.
     */
    private static final long PERSON_BYTES_ESTIMATE = 130;

    private final int dimension;
    private final int blockRows;
    private final int blockShift;
    private final int blockMask;
    private final int chunkFloats;
    private final ForkJoinPool scanPool;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock readLock = lock.readLock();
    private final Lock writeLock = lock.writeLock();

    // Everything below is guarded by lock.
    private float[][] vectorBlocks = new float[0][];
    private int[][] ordinalBlocks = new int[0][];
    private long[][] sampleIdBlocks = new long[0][];
    private int blockCount;
    private int rowCount;
    private final SampleRowMap rowOfSample = new SampleRowMap();

    private final Map<PersonRef, Integer> ordinalOf = new HashMap<>();
    private PersonRef[] personOfOrdinal = new PersonRef[0];
    private PersonType[] typeOfOrdinal = new PersonType[0];
    private int[] rowsOfOrdinal = new int[0];
    private int[] freeOrdinals = new int[0];
    private int freeOrdinalCount;
    private int ordinalLimit;

    /**
     * An empty gallery for embeddings of {@code dimension} values (512 for the InsightFace recognizers).
     */
    public GalleryIndex(int dimension) {
        this(dimension, DEFAULT_BLOCK_ROWS, CHUNK_FLOATS, null);
    }

    /**
     * For tests: a small {@code blockRows} exercises growth across blocks, a small {@code chunkFloats} and
     * a given pool exercise the parallel scan on small galleries.
     *
     * @param scanPool the pool for parallel parts, or {@code null} for the shared gallery scan pool
     */
    GalleryIndex(int dimension, int blockRows, int chunkFloats, ForkJoinPool scanPool) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        if (blockRows < 1 || Integer.bitCount(blockRows) != 1) {
            throw new IllegalArgumentException("blockRows must be a power of two, got " + blockRows);
        }
        if ((long) blockRows * dimension > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("dimension " + dimension + " is too large for one block");
        }
        if (chunkFloats < 1) {
            throw new IllegalArgumentException("chunkFloats must be positive, got " + chunkFloats);
        }
        this.dimension = dimension;
        this.blockRows = blockRows;
        this.blockShift = Integer.numberOfTrailingZeros(blockRows);
        this.blockMask = blockRows - 1;
        this.chunkFloats = chunkFloats;
        this.scanPool = scanPool;
    }

    public int dimension() {
        return dimension;
    }

    /**
     * Adds one sample, or replaces the row already stored under {@code sampleId} (its person may change).
     * The embedding is copied and normalised to unit length; the caller's array is not kept.
     *
     * @throws IllegalArgumentException when the embedding has the wrong length, a NaN or infinite value, or is zero
     */
    public void add(long sampleId, PersonRef person, float[] embedding) {
        Objects.requireNonNull(person, "person");
        float[] unit = normalised(embedding, "embedding of sample " + sampleId);
        writeLock.lock();
        try {
            ensureCapacity(rowCount + 1);
            put(sampleId, person, unit);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Adds many samples under one write lock: the rebuild from the database at start, or a batch enrollment.
     * All embeddings are validated and normalised before the index changes, so a bad one rejects the whole call
     * and nothing is added. A later duplicate sample id replaces an earlier one, as with {@link #add}. When
     * rebuilding, pass pages of a few thousand rows: searches wait while a page is copied in.
     *
     * @throws IllegalArgumentException as {@link #add}, naming the offending sample
     */
    public void addAll(Collection<GallerySample> samples) {
        Objects.requireNonNull(samples, "samples");
        List<GallerySample> checked = new ArrayList<>(samples.size());
        List<float[]> units = new ArrayList<>(samples.size());
        for (GallerySample sample : samples) {
            Objects.requireNonNull(sample, "sample");
            Objects.requireNonNull(sample.person(), "person of sample " + sample.sampleId());
            units.add(normalised(sample.embedding(), "embedding of sample " + sample.sampleId()));
            checked.add(sample);
        }
        writeLock.lock();
        try {
            // The blocks, the one large allocation, come first: out of heap, the call fails before any row changes.
            ensureCapacity(rowCount + checked.size());
            for (int i = 0; i < checked.size(); i++) {
                put(checked.get(i).sampleId(), checked.get(i).person(), units.get(i));
            }
            // Duplicate ids in the batch may have left more spare blocks than rows need.
            releaseSpareBlocks();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Removes one sample. Once this returns, no search started afterwards returns it.
     *
     * @return whether the sample was present
     */
    public boolean removeSample(long sampleId) {
        writeLock.lock();
        try {
            int row = rowOfSample.remove(sampleId);
            if (row == SampleRowMap.ABSENT) {
                return false;
            }
            removeRow(row);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Removes every sample of a person.
     *
     * @return the number of samples removed, 0 when the person had none
     */
    public int removePerson(PersonRef person) {
        Objects.requireNonNull(person, "person");
        writeLock.lock();
        try {
            Integer ordinal = ordinalOf.get(person);
            if (ordinal == null) {
                return 0;
            }
            int remaining = rowsOfOrdinal[ordinal];
            int removed = 0;
            // No per-person row list to keep in step with swap-removal: one pass over the ordinals (4 MB at a
            // million rows, about a millisecond) finds them. Walking down from the end is safe because the row
            // moved into a hole always comes from above, and that part has been visited already.
            for (int row = rowCount - 1; row >= 0 && removed < remaining; row--) {
                if (ordinalBlocks[row >>> blockShift][row & blockMask] == ordinal) {
                    rowOfSample.remove(sampleIdBlocks[row >>> blockShift][row & blockMask]);
                    removeRow(row);
                    removed++;
                }
            }
            return removed;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Gives a sample to another person, keeping its vector: a row the school moved to another person code.
     *
     * @return whether the sample was present
     */
    public boolean reassign(long sampleId, PersonRef person) {
        Objects.requireNonNull(person, "person");
        writeLock.lock();
        try {
            int row = rowOfSample.get(sampleId);
            if (row == SampleRowMap.ABSENT) {
                return false;
            }
            int block = row >>> blockShift;
            int offset = row & blockMask;
            int ordinal = acquireOrdinal(person);
            int oldOrdinal = ordinalBlocks[block][offset];
            ordinalBlocks[block][offset] = ordinal;
            // Release after acquiring, so reassigning to the same person never frees its ordinal in between.
            releaseOrdinal(oldOrdinal);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The samples whose ids {@code ids} accepts, with their persons: one pass over the rows' ids, for comparing a
     * range of database rows with what the gallery holds.
     */
    public Map<Long, PersonRef> samplesWhere(LongPredicate ids) {
        Objects.requireNonNull(ids, "ids");
        readLock.lock();
        try {
            Map<Long, PersonRef> found = new HashMap<>();
            for (int row = 0; row < rowCount; row++) {
                int block = row >>> blockShift;
                int offset = row & blockMask;
                long sampleId = sampleIdBlocks[block][offset];
                if (ids.test(sampleId)) {
                    found.put(sampleId, personOfOrdinal[ordinalBlocks[block][offset]]);
                }
            }
            return found;
        } finally {
            readLock.unlock();
        }
    }

    /** Removes everything and releases the blocks. */
    public void clear() {
        writeLock.lock();
        try {
            vectorBlocks = new float[0][];
            ordinalBlocks = new int[0][];
            sampleIdBlocks = new long[0][];
            blockCount = 0;
            rowCount = 0;
            rowOfSample.clear();
            ordinalOf.clear();
            personOfOrdinal = new PersonRef[0];
            typeOfOrdinal = new PersonType[0];
            rowsOfOrdinal = new int[0];
            freeOrdinals = new int[0];
            freeOrdinalCount = 0;
            ordinalLimit = 0;
        } finally {
            writeLock.unlock();
        }
    }

    /** The number of stored samples. */
    public int size() {
        readLock.lock();
        try {
            return rowCount;
        } finally {
            readLock.unlock();
        }
    }

    /** The number of distinct persons with at least one sample. */
    public int personCount() {
        readLock.lock();
        try {
            return ordinalOf.size();
        } finally {
            readLock.unlock();
        }
    }

    /** Whether the person has at least one sample here. */
    public boolean hasPerson(PersonRef person) {
        readLock.lock();
        try {
            return ordinalOf.containsKey(person);
        } finally {
            readLock.unlock();
        }
    }

    public boolean contains(long sampleId) {
        readLock.lock();
        try {
            return rowOfSample.get(sampleId) != SampleRowMap.ABSENT;
        } finally {
            readLock.unlock();
        }
    }

    public GalleryStats stats() {
        readLock.lock();
        try {
            int capacity = capacityRows();
            long blockBytes = (long) capacity * ((long) dimension * Float.BYTES + Integer.BYTES + Long.BYTES);
            long personBytes = (long) ordinalOf.size() * PERSON_BYTES_ESTIMATE;
            return new GalleryStats(rowCount, ordinalOf.size(), capacity,
                    blockBytes + rowOfSample.bytesUsed() + personBytes);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Finds the persons whose best sample is most similar to {@code query}.
     *
     * @return at most {@code topK} hits, one per person (its best sample), best first; equal similarities are
     *         ordered by lower sample id. Empty when nothing passes the threshold and filter.
     * @throws IllegalArgumentException when the query has the wrong length, a NaN or infinite value, or is zero
     */
    public List<GalleryMatch> search(float[] query, SearchOptions options) {
        Objects.requireNonNull(options, "options");
        float[] unit = normalised(query, "query");
        float threshold = options.minSimilarity() <= SearchOptions.NO_THRESHOLD
                ? Float.NEGATIVE_INFINITY : options.minSimilarity();
        readLock.lock();
        try {
            int rows = rowCount;
            if (rows == 0) {
                return List.of();
            }
            int k = Math.min(options.topK(), ordinalOf.size());
            PersonTopK best = scan(unit, rows, k, threshold, options.filterOrNull());
            int[] ordinals = new int[best.size()];
            float[] scores = new float[best.size()];
            long[] sampleIds = new long[best.size()];
            int count = best.drainBestFirst(ordinals, scores, sampleIds);
            GalleryMatch[] hits = new GalleryMatch[count];
            for (int i = 0; i < count; i++) {
                // Float rounding can put an identical vector a hair above 1; report the true range.
                float similarity = Math.max(-1f, Math.min(1f, scores[i]));
                hits[i] = new GalleryMatch(personOfOrdinal[ordinals[i]], sampleIds[i], similarity);
            }
            return List.of(hits);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * The person's sample most similar to {@code query}: whether a new photo looks like the person it is enrolled
     * under. One pass over the rows' ordinals (as {@link #removePerson}), a dot product only for the person's own.
     *
     * @return empty when the person has no sample here
     * @throws IllegalArgumentException as {@link #search}
     */
    public Optional<GalleryMatch> bestOf(PersonRef person, float[] query) {
        Objects.requireNonNull(person, "person");
        float[] unit = normalised(query, "query");
        readLock.lock();
        try {
            Integer ordinal = ordinalOf.get(person);
            if (ordinal == null) {
                return Optional.empty();
            }
            int remaining = rowsOfOrdinal[ordinal];
            float best = Float.NEGATIVE_INFINITY;
            long bestSample = 0;
            for (int row = 0; row < rowCount && remaining > 0; row++) {
                int block = row >>> blockShift;
                int r = row & blockMask;
                if (ordinalBlocks[block][r] == ordinal) {
                    remaining--;
                    float score = DotProduct.dot(unit, vectorBlocks[block], r * dimension);
                    if (score > best) {
                        best = score;
                        bestSample = sampleIdBlocks[block][r];
                    }
                }
            }
            return Optional.of(new GalleryMatch(person, bestSample, Math.max(-1f, Math.min(1f, best))));
        } finally {
            readLock.unlock();
        }
    }

    // ---- search internals (caller holds the read lock) ----

    private PersonTopK scan(float[] query, int rows, int k, float threshold, PersonType filter) {
        // The arrays are read into locals under the read lock. Helper threads read them without taking the lock
        // themselves: the caller holds it until every helper that started has finished, so no write can run
        // meanwhile, and submitting a task happens-before it runs, so helpers see everything written before.
        RowBlocks blocks = new RowBlocks(vectorBlocks, ordinalBlocks, sampleIdBlocks, typeOfOrdinal,
                blockShift, blockMask, blockRows, dimension);
        int chunkRows = Math.max(1, chunkFloats / dimension);
        int chunks = (int) (((long) rows + chunkRows - 1) / chunkRows);
        ForkJoinPool pool = scanPool != null ? scanPool : SharedScanPool.pool();
        int helpers = pool == null ? 0 : Math.min(chunks - 1, pool.getParallelism());
        if (helpers <= 0) {
            return blocks.scan(query, 0, rows, k, threshold, filter);
        }
        ParallelScan scan = new ParallelScan(blocks, query, rows, chunkRows, chunks, k, threshold, filter);
        List<ParallelScan.Helper> started = new ArrayList<>(helpers);
        PersonTopK merged;
        try {
            for (int i = 0; i < helpers; i++) {
                started.add(scan.submitHelper(pool));
            }
            merged = scan.work();
        } finally {
            // Even on failure: a helper must not read the rows after the read lock is released.
            for (ParallelScan.Helper helper : started) {
                helper.claimOrAwait();
            }
        }
        for (ParallelScan.Helper helper : started) {
            merged.offerAll(helper.result());
        }
        return merged;
    }

    /**
     * One search's rows, cut into chunks of about {@value #CHUNK_FLOATS} floats that the caller and the
     * helpers take from a shared counter. Taking chunks on demand, rather than one fixed range per thread, keeps
     * the scan fast when a core is busy with something else (another search, an inference, another process):
     * whoever is running takes the next chunk. A helper that the pool has not started by the time the chunks are
     * gone is claimed by the caller and skipped, so a backlogged pool never delays a search.
     */
    private static final class ParallelScan {
        private final RowBlocks blocks;
        private final float[] query;
        private final int rows;
        private final int chunkRows;
        private final int chunks;
        private final int k;
        private final float threshold;
        private final PersonType filter;
        private final AtomicInteger nextChunk = new AtomicInteger();

        ParallelScan(RowBlocks blocks, float[] query, int rows, int chunkRows, int chunks, int k, float threshold,
                     PersonType filter) {
            this.blocks = blocks;
            this.query = query;
            this.rows = rows;
            this.chunkRows = chunkRows;
            this.chunks = chunks;
            this.k = k;
            this.threshold = threshold;
            this.filter = filter;
        }

        /** Scans chunks until none is left; each participant has its own collector, merged by the caller. */
        PersonTopK work() {
            PersonTopK best = new PersonTopK(k);
            for (int chunk = nextChunk.getAndIncrement(); chunk < chunks; chunk = nextChunk.getAndIncrement()) {
                int from = chunk * chunkRows;
                int to = (int) Math.min(rows, (long) from + chunkRows);
                blocks.scan(query, from, to, best, threshold, filter);
            }
            return best;
        }

        Helper submitHelper(ForkJoinPool pool) {
            Helper helper = new Helper();
            helper.task = pool.submit(helper::run);
            return helper;
        }

        /** One pool thread's share. Whoever flips {@code claimed} first decides whether it runs. */
        final class Helper {
            private final AtomicBoolean claimed = new AtomicBoolean();
            private ForkJoinTask<PersonTopK> task;
            private boolean ran;

            private PersonTopK run() {
                return claimed.compareAndSet(false, true) ? work() : null;
            }

            /** Called by the searching thread once its own work is done; never throws. */
            void claimOrAwait() {
                if (claimed.compareAndSet(false, true)) {
                    return; // never started; when the pool gets to it, it returns at once without reading rows
                }
                ran = true;
                task.quietlyJoin();
            }

            /** The helper's collector (empty if it never ran); rethrows what the helper threw. */
            PersonTopK result() {
                return ran ? task.join() : new PersonTopK(k);
            }
        }
    }

    /** An immutable view of the row arrays for one scan; its {@link #scan} is the hot loop. */
    private record RowBlocks(float[][] vectors, int[][] ordinals, long[][] sampleIds, PersonType[] typeOfOrdinal,
                             int blockShift, int blockMask, int blockRows, int dimension) {

        PersonTopK scan(float[] query, int from, int to, int k, float threshold, PersonType filter) {
            PersonTopK best = new PersonTopK(k);
            scan(query, from, to, best, threshold, filter);
            return best;
        }

        void scan(float[] query, int from, int to, PersonTopK best, float threshold, PersonType filter) {
            // Rows below the floor cannot enter: compared first, so almost every row costs just the dot product.
            float floor = Math.max(threshold, best.floor());
            int row = from;
            while (row < to) {
                int block = row >>> blockShift;
                int start = row & blockMask;
                int end = Math.min(blockRows, start + (to - row));
                float[] blockVectors = vectors[block];
                int[] blockOrdinals = ordinals[block];
                long[] blockSampleIds = sampleIds[block];
                for (int r = start; r < end; r++) {
                    int ordinal = blockOrdinals[r];
                    if (filter != null && typeOfOrdinal[ordinal] != filter) {
                        continue;
                    }
                    float score = DotProduct.dot(query, blockVectors, r * dimension);
                    if (score >= floor) {
                        best.offer(ordinal, score, blockSampleIds[r]);
                        floor = Math.max(threshold, best.floor());
                    }
                }
                row += end - start;
            }
        }
    }

    /**
     * The helper pool shared by all galleries of the process, created on first parallel search. The searching
     * thread scans too, so cores − 1 helpers let a lone search use every core; on a single core there is no
     * pool and no split. Daemon threads, so the pool never keeps the JVM alive.
     */
    private static final class SharedScanPool {
        private static final int HELPERS = Runtime.getRuntime().availableProcessors() - 1;
        private static final ForkJoinPool POOL = HELPERS < 1 ? null : new ForkJoinPool(HELPERS, pool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName("gallery-scan-" + thread.getPoolIndex());
            return thread;
        }, null, false);

        static ForkJoinPool pool() {
            return POOL;
        }
    }

    // ---- write internals (caller holds the write lock) ----

    /** Writes a normalised row under {@code sampleId}; capacity for one more row must already exist. */
    private void put(long sampleId, PersonRef person, float[] unit) {
        int existing = rowOfSample.get(sampleId);
        int ordinal = acquireOrdinal(person);
        if (existing != SampleRowMap.ABSENT) {
            int block = existing >>> blockShift;
            int offset = existing & blockMask;
            int oldOrdinal = ordinalBlocks[block][offset];
            System.arraycopy(unit, 0, vectorBlocks[block], offset * dimension, dimension);
            ordinalBlocks[block][offset] = ordinal;
            // Release after acquiring, so re-adding to the same person never frees its ordinal in between.
            releaseOrdinal(oldOrdinal);
            return;
        }
        int row = rowCount;
        int block = row >>> blockShift;
        int offset = row & blockMask;
        System.arraycopy(unit, 0, vectorBlocks[block], offset * dimension, dimension);
        ordinalBlocks[block][offset] = ordinal;
        sampleIdBlocks[block][offset] = sampleId;
        rowOfSample.put(sampleId, row);
        rowCount = row + 1;
    }

    /** Swap-remove: the last row moves into {@code row}. The sample's map entry is already gone. */
    private void removeRow(int row) {
        int block = row >>> blockShift;
        int offset = row & blockMask;
        int ordinal = ordinalBlocks[block][offset];
        int last = rowCount - 1;
        if (row != last) {
            int lastBlock = last >>> blockShift;
            int lastOffset = last & blockMask;
            System.arraycopy(vectorBlocks[lastBlock], lastOffset * dimension,
                    vectorBlocks[block], offset * dimension, dimension);
            ordinalBlocks[block][offset] = ordinalBlocks[lastBlock][lastOffset];
            long movedSampleId = sampleIdBlocks[lastBlock][lastOffset];
            sampleIdBlocks[block][offset] = movedSampleId;
            rowOfSample.put(movedSampleId, row);
        }
        rowCount = last;
        releaseOrdinal(ordinal);
        releaseSpareBlocks();
    }

    private void ensureCapacity(int rowsNeeded) {
        if (rowsNeeded <= capacityRows()) {
            return;
        }
        // The first block grows by doubling up to the full block size, so a school of a thousand faces holds
        // 2 MB of vectors instead of a 32 MB block; the copies add up to at most one block, once.
        int firstRows = blockCount == 0 ? 0 : ordinalBlocks[0].length;
        if (firstRows < blockRows) {
            int wanted = Math.max(Math.min(FIRST_BLOCK_MIN_ROWS, blockRows), firstRows * 2);
            while (wanted < Math.min(rowsNeeded, blockRows)) {
                wanted *= 2;
            }
            resizeFirstBlock(Math.min(wanted, blockRows));
            if (rowsNeeded <= capacityRows()) {
                return;
            }
        }
        long blocksNeeded = ((long) rowsNeeded + blockRows - 1) >>> blockShift;
        if (blocksNeeded > vectorBlocks.length) {
            int length = (int) Math.max(blocksNeeded, Math.max(4, vectorBlocks.length * 2L));
            vectorBlocks = Arrays.copyOf(vectorBlocks, length);
            ordinalBlocks = Arrays.copyOf(ordinalBlocks, length);
            sampleIdBlocks = Arrays.copyOf(sampleIdBlocks, length);
        }
        while (blockCount < blocksNeeded) {
            float[] vectors = new float[blockRows * dimension];
            int[] ordinals = new int[blockRows];
            long[] sampleIds = new long[blockRows];
            vectorBlocks[blockCount] = vectors;
            ordinalBlocks[blockCount] = ordinals;
            sampleIdBlocks[blockCount] = sampleIds;
            blockCount++;
        }
    }

    private void resizeFirstBlock(int rows) {
        if (vectorBlocks.length == 0) {
            vectorBlocks = new float[4][];
            ordinalBlocks = new int[4][];
            sampleIdBlocks = new long[4][];
        }
        // Allocate all three before replacing any, so an OutOfMemoryError leaves the index as it was.
        float[] vectors = blockCount == 0
                ? new float[rows * dimension] : Arrays.copyOf(vectorBlocks[0], rows * dimension);
        int[] ordinals = blockCount == 0 ? new int[rows] : Arrays.copyOf(ordinalBlocks[0], rows);
        long[] sampleIds = blockCount == 0 ? new long[rows] : Arrays.copyOf(sampleIdBlocks[0], rows);
        vectorBlocks[0] = vectors;
        ordinalBlocks[0] = ordinals;
        sampleIdBlocks[0] = sampleIds;
        blockCount = Math.max(blockCount, 1);
    }

    /** Rows that fit in the allocated blocks: only the first block can be shorter than {@link #blockRows}. */
    private int capacityRows() {
        return blockCount == 0 ? 0 : ordinalBlocks[0].length + (blockCount - 1) * blockRows;
    }

    /**
     * Frees trailing blocks once the rows fit in fewer. One spare block is kept so that a gallery hovering at a
     * block boundary does not allocate and free 32 MB on every enrollment and deletion.
     */
    private void releaseSpareBlocks() {
        int blocksInUse = (rowCount + blockRows - 1) >>> blockShift;
        while (blockCount > blocksInUse + 1) {
            blockCount--;
            vectorBlocks[blockCount] = null;
            ordinalBlocks[blockCount] = null;
            sampleIdBlocks[blockCount] = null;
        }
    }

    /** The person's ordinal, registering the person if new; counts one more row for it. */
    private int acquireOrdinal(PersonRef person) {
        Integer known = ordinalOf.get(person);
        int ordinal;
        if (known != null) {
            ordinal = known;
        } else {
            if (freeOrdinalCount > 0) {
                ordinal = freeOrdinals[--freeOrdinalCount];
            } else {
                if (ordinalLimit == personOfOrdinal.length) {
                    int length = Math.max(16, personOfOrdinal.length * 2);
                    personOfOrdinal = Arrays.copyOf(personOfOrdinal, length);
                    typeOfOrdinal = Arrays.copyOf(typeOfOrdinal, length);
                    rowsOfOrdinal = Arrays.copyOf(rowsOfOrdinal, length);
                }
                ordinal = ordinalLimit++;
            }
            personOfOrdinal[ordinal] = person;
            typeOfOrdinal[ordinal] = person.type();
            ordinalOf.put(person, ordinal);
        }
        rowsOfOrdinal[ordinal]++;
        return ordinal;
    }

    /** Counts one row less for the ordinal; a person without rows is forgotten and its ordinal reused. */
    private void releaseOrdinal(int ordinal) {
        if (--rowsOfOrdinal[ordinal] > 0) {
            return;
        }
        ordinalOf.remove(personOfOrdinal[ordinal]);
        personOfOrdinal[ordinal] = null;
        typeOfOrdinal[ordinal] = null;
        if (freeOrdinalCount == freeOrdinals.length) {
            freeOrdinals = Arrays.copyOf(freeOrdinals, Math.max(16, freeOrdinals.length * 2));
        }
        freeOrdinals[freeOrdinalCount++] = ordinal;
    }

    /**
     * A unit-length copy of {@code vector}. The norm is summed in double so that a vector of large or tiny
     * finite floats neither overflows nor underflows to zero.
     */
    private float[] normalised(float[] vector, String what) {
        Objects.requireNonNull(vector, what);
        if (vector.length != dimension) {
            throw new IllegalArgumentException(
                    what + " has " + vector.length + " values, but the gallery's dimension is " + dimension);
        }
        double sumOfSquares = 0;
        for (int i = 0; i < vector.length; i++) {
            float value = vector[i];
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException(what + " has a non-finite value at index " + i + ": " + value);
            }
            sumOfSquares += (double) value * value;
        }
        if (sumOfSquares == 0) {
            throw new IllegalArgumentException(what + " is the zero vector, which has no direction to compare");
        }
        double scale = 1 / Math.sqrt(sumOfSquares);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] * scale);
        }
        return unit;
    }
}

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
import java.nio.file.Path;

/**
 * The in-memory face gallery: every enrolled sample's unit-length embedding, searched for the best sample of each
 * person with the result of an exact brute-force cosine scan. The database stays the source of truth; the service
 * commits there first, then mirrors the change here, and rebuilds the index with {@link #addAll} at start.
 *
 * <h2>Two passes: 8-bit scan, exact re-score</h2>
 * Each row is held in memory as 8-bit codes with one scale ({@code v ≈ scale · code}, scale = max |v| / 127): 512
 * bytes at 512-d instead of 2,048, so a million rows take 0.5 GiB. The exact float rows live in an
 * {@link ExactRowFile} outside the heap. A search scans the codes for the best rows by approximate similarity, then
 * reads those candidates' exact rows and scores them as the float scan would. The approximation error of a row is at
 * most the norm of its rounding residual {@code ‖v − scale · code‖} (Cauchy–Schwarz, the query being unit length);
 * the index keeps the largest such norm, {@code ε}. With {@code C} candidates whose worst approximate score is
 * {@code m}, no row left out can score above {@code m + ε} exactly, so the answer is proven exact when its k-th
 * person scores above that (or nothing can reach the threshold); otherwise the scan is repeated with eight times the
 * candidates. Results, similarities and tie-breaking are therefore those of the exact scan, bit for bit.
 *
 * <h2>Layout</h2>
 * Rows live in blocks of {@value #DEFAULT_BLOCK_ROWS} rows (the first one starts small and doubles up to that):
 * a {@code byte[]} of {@code rows × dimension} codes (8 MB at 512-d) and, in parallel, a {@code float[]} of
 * scales, an {@code int[]} of person ordinals and a {@code long[]} of sample ids. There is no object per vector, the scan reads memory
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
 * A scan of more than {@value #CHUNK_FLOATS} floats' worth of bytes (≈8,000 rows of 8-bit codes at 512-d, ≈0.4 ms
 * on one core) is cut into chunks of that size. The calling thread and up to cores − 1 helpers from a dedicated
 * daemon {@link ForkJoinPool} take chunks from a shared counter, each into its own {@link CandidateRows}, merged at
 * the end; below two chunks, waking a helper costs more than it saves. Not the common pool: it is shared with
 * parallel streams and async tasks of the rest of the service, which a 30 ms scan would hold up, and a search must
 * never wait behind them. The 8-bit scan is bound by widening bytes to floats rather than by memory bandwidth (on a
 * 2-core AVX2 EPYC one core reads the million rows' 512 MB in about 30 ms of CPU but needs about 60 ms to score
 * them), so the split over cores pays off at every size above a few chunks.
 *
 * <p>Memory: a million 512-d rows need 512 MiB of codes plus ≈70 MB of scales, ids, ordinals, map and persons
 * in the heap ({@link #bytesPerRow}), and 2 GiB of disk for the exact rows, which the kernel caches as memory
 * allows. This class is thread-safe.
 */
public final class GalleryIndex {

    /**
     * 16,384 rows: an 8 MB block of codes at 512-d, a size G1 places easily as a humongous object even in a fragmented
     * heap, and few enough blocks (62 at a million rows) that the outer arrays stay tiny.
     */
    static final int DEFAULT_BLOCK_ROWS = 1 << 14;

    /** The first block starts this small (32 KB at 512-d) and doubles up to {@link #DEFAULT_BLOCK_ROWS}. */
    private static final int FIRST_BLOCK_MIN_ROWS = 64;

    /** One chunk of a parallel scan: 1 Mi floats = 4 MB, 0.1–0.2 ms on one core, well above a thread hand-off. */
    static final int CHUNK_FLOATS = 1 << 20;

    /**
     * Rough heap cost of one person beside its rows: the {@link PersonRef}, its code string, the registry map
     * entry and boxed ordinal, and the per-ordinal arrays (compressed oops). Only feeds {@link GalleryStats}.
     */
    private static final long PERSON_BYTES_ESTIMATE = 130;

    /** Candidates re-scored exactly in the first attempt: enough that the proof almost always holds at once. */
    private static final int MIN_CANDIDATES = 64;

    /**
     * Added to {@code ε}: both the 8-bit and the exact dot products are float sums of 512 products of magnitude at
     * most 1, each rounding by at most 2⁻²⁴ of the running sum, so together they are off by far less than this.
     */
    private static final float ROUNDING_SLACK = 1e-4f;

    /** The largest value a code takes: symmetric, so that −max and max round alike. */
    private static final int CODE_MAX = 127;

    private final int dimension;
    private final int blockRows;
    private final int blockShift;
    private final int blockMask;
    private final int chunkFloats;
    private final ForkJoinPool scanPool;
    private final ExactRowFile exactRows;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock readLock = lock.readLock();
    private final Lock writeLock = lock.writeLock();

    // Everything below is guarded by lock.
    private byte[][] codeBlocks = new byte[0][];
    private float[][] scaleBlocks = new float[0][];
    private int[][] ordinalBlocks = new int[0][];
    private long[][] sampleIdBlocks = new long[0][];
    private int blockCount;
    private int rowCount;
    private final SampleRowMap rowOfSample = new SampleRowMap();
    /** ε: the largest rounding residual norm of any row stored (kept when rows leave, which only over-estimates). */
    private float maxResidual;

    private final Map<PersonRef, Integer> ordinalOf = new HashMap<>();
    private PersonRef[] personOfOrdinal = new PersonRef[0];
    private PersonType[] typeOfOrdinal = new PersonType[0];
    private int[] rowsOfOrdinal = new int[0];
    /** Rows per {@link PersonType}, by its ordinal: the size of a filtered search, kept with the ordinals' counts. */
    private final int[] rowsOfType = new int[PersonType.values().length];
    private int[] freeOrdinals = new int[0];
    private int freeOrdinalCount;
    private int ordinalLimit;

    /**
     * An empty gallery for embeddings of {@code dimension} values (512 for the InsightFace recognizers).
     */
    public GalleryIndex(int dimension) {
        this(dimension, defaultRowDirectory());
    }

    /**
     * An empty gallery whose exact rows are kept in a private file in {@code rowDirectory} (created if needed; the
     * file disappears with the index's process).
     */
    public GalleryIndex(int dimension, Path rowDirectory) {
        this(dimension, DEFAULT_BLOCK_ROWS, CHUNK_FLOATS, null, rowDirectory);
    }

    /** Where the exact rows go unless the service names a directory: the JVM's temporary directory. */
    static Path defaultRowDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Heap bytes one more row costs at {@code dimension}: codes, scale, ordinal and id, its share of the id map
     * and, conservatively, a person of its own. What a worker checks before loading a gallery.
     */
    public static long bytesPerRow(int dimension) {
        return dimension + Float.BYTES + Integer.BYTES + Long.BYTES + SampleRowMap.BYTES_PER_ENTRY + PERSON_BYTES_ESTIMATE;
    }

    /**
     * For tests: a small {@code blockRows} exercises growth across blocks, a small {@code chunkFloats} and
     * a given pool exercise the parallel scan on small galleries.
     *
     * @param scanPool the pool for parallel parts, or {@code null} for the shared gallery scan pool
     */
    GalleryIndex(int dimension, int blockRows, int chunkFloats, ForkJoinPool scanPool) {
        this(dimension, blockRows, chunkFloats, scanPool, defaultRowDirectory());
    }

    private GalleryIndex(int dimension, int blockRows, int chunkFloats, ForkJoinPool scanPool, Path rowDirectory) {
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
        this.exactRows = new ExactRowFile(rowDirectory, dimension);
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
            codeBlocks = new byte[0][];
            scaleBlocks = new float[0][];
            ordinalBlocks = new int[0][];
            sampleIdBlocks = new long[0][];
            blockCount = 0;
            rowCount = 0;
            Arrays.fill(rowsOfType, 0);
            rowOfSample.clear();
            ordinalOf.clear();
            personOfOrdinal = new PersonRef[0];
            typeOfOrdinal = new PersonType[0];
            rowsOfOrdinal = new int[0];
            freeOrdinals = new int[0];
            freeOrdinalCount = 0;
            ordinalLimit = 0;
            maxResidual = 0;
            exactRows.truncate(0);
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

    /** The number of stored samples of persons of {@code type}; all samples when {@code type} is null. */
    public int size(PersonType type) {
        readLock.lock();
        try {
            return type == null ? rowCount : rowsOfType[type.ordinal()];
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
            long blockBytes = (long) capacity * ((long) dimension + Float.BYTES + Integer.BYTES + Long.BYTES);
            long personBytes = (long) ordinalOf.size() * PERSON_BYTES_ESTIMATE;
            return new GalleryStats(rowCount, ordinalOf.size(), capacity,
                    blockBytes + rowOfSample.bytesUsed() + personBytes, exactRows.bytes());
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
            PersonTopK best = search(unit, rows, k, threshold, options.filterOrNull());
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
            float[] exact = new float[dimension];
            java.nio.ByteBuffer buffer = exactRows.newReadBuffer();
            for (int row = 0; row < rowCount && remaining > 0; row++) {
                int block = row >>> blockShift;
                int r = row & blockMask;
                if (ordinalBlocks[block][r] == ordinal) {
                    remaining--;
                    exactRows.read(row, exact, buffer);
                    float score = DotProduct.dot(unit, exact, 0);
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

    // ---- snapshot (GallerySnapshot) ----

    /** Format of {@link #writeSnapshot}; a file of another version is not read. */
    private static final int SNAPSHOT_VERSION = 1;

    /**
     * Writes every row to {@code out} at its position: a header, then each row's id and person, the scales, the
     * 8-bit codes (with a CRC32C over all of that) and the exact rows, copied by the kernel from the row file. Holds
     * the read lock throughout, so the snapshot is one consistent state (changes wait; searches do not).
     */
    void writeSnapshot(java.nio.channels.FileChannel out) throws java.io.IOException {
        readLock.lock();
        try {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            SnapshotChannel.Out data = new SnapshotChannel.Out(out, crc);
            data.putInt(SNAPSHOT_VERSION).putInt(dimension).putInt(rowCount).putFloat(maxResidual);
            for (int row = 0; row < rowCount; row++) {
                int block = row >>> blockShift;
                int offset = row & blockMask;
                PersonRef person = personOfOrdinal[ordinalBlocks[block][offset]];
                byte[] code = person.code().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                data.putLong(sampleIdBlocks[block][offset]).putByte((byte) person.type().ordinal())
                        .putByte((byte) code.length).putBytes(code, 0, code.length);
            }
            for (int row = 0; row < rowCount; row++) {
                data.putFloat(scaleBlocks[row >>> blockShift][row & blockMask]);
            }
            for (int block = 0; block < blockCount && block * (long) blockRows < rowCount; block++) {
                int rows = (int) Math.min(rowCount - (long) block * blockRows, ordinalBlocks[block].length);
                data.putBytes(codeBlocks[block], 0, rows * dimension);
            }
            data.flush();
            data.putLong(crc.getValue()).flushUnchecked();
            exactRows.copyTo(out, rowCount);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Replaces everything with the rows {@link #writeSnapshot} wrote, read from {@code in} at its position.
     *
     * @throws java.io.IOException when the file is of another version or dimension, cut short or corrupt; the
     *         index is then empty
     */
    void readSnapshot(java.nio.channels.FileChannel in) throws java.io.IOException {
        writeLock.lock();
        try {
            clear();
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            SnapshotChannel.In data = new SnapshotChannel.In(in, crc);
            int version = data.getInt();
            int fileDimension = data.getInt();
            if (version != SNAPSHOT_VERSION || fileDimension != dimension) {
                throw new java.io.IOException("snapshot of version " + version + " and dimension " + fileDimension
                        + ", expected " + SNAPSHOT_VERSION + " and " + dimension);
            }
            int rows = data.getInt();
            float residual = data.getFloat();
            if (rows < 0) {
                throw new java.io.IOException("snapshot with " + rows + " rows");
            }
            ensureCapacity(rows);
            byte[] code = new byte[255];
            for (int row = 0; row < rows; row++) {
                long sampleId = data.getLong();
                int type = data.getByte();
                int length = data.getByte() & 0xFF;
                data.getBytes(code, 0, length);
                if (type < 0 || type >= PersonType.values().length || rowOfSample.get(sampleId) != SampleRowMap.ABSENT) {
                    throw new java.io.IOException("snapshot row " + row + " is corrupt");
                }
                PersonRef person = new PersonRef(PersonType.values()[type],
                        new String(code, 0, length, java.nio.charset.StandardCharsets.UTF_8));
                int block = row >>> blockShift;
                int offset = row & blockMask;
                ordinalBlocks[block][offset] = acquireOrdinal(person);
                sampleIdBlocks[block][offset] = sampleId;
                rowOfSample.put(sampleId, row);
                rowCount = row + 1;
            }
            for (int row = 0; row < rows; row++) {
                scaleBlocks[row >>> blockShift][row & blockMask] = data.getFloat();
            }
            for (int block = 0; block * (long) blockRows < rows; block++) {
                int blockRowsHere = (int) Math.min(rows - (long) block * blockRows, ordinalBlocks[block].length);
                data.getBytes(codeBlocks[block], 0, blockRowsHere * dimension);
            }
            long expected = crc.getValue();
            data.endChecked();
            if (data.getLong() != expected) {
                throw new java.io.IOException("snapshot checksum does not match");
            }
            exactRows.copyFrom(in, data.position(), rows);
            maxResidual = residual;
        } catch (java.io.IOException | RuntimeException e) {
            clear();
            throw e instanceof java.io.IOException io ? io : new java.io.IOException("snapshot is corrupt", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Up to {@code count} sample ids spread evenly over the rows, always including the last: a snapshot's probes. */
    long[] spreadSampleIds(int count) {
        readLock.lock();
        try {
            int n = Math.min(count, rowCount);
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                int row = n == 1 ? rowCount - 1 : (int) ((long) i * (rowCount - 1) / (n - 1));
                ids[i] = sampleIdBlocks[row >>> blockShift][row & blockMask];
            }
            return ids;
        } finally {
            readLock.unlock();
        }
    }

    /** The exact stored (unit-length) row of {@code sampleId}, or null when absent. */
    float[] exactRow(long sampleId) {
        readLock.lock();
        try {
            int row = rowOfSample.get(sampleId);
            if (row == SampleRowMap.ABSENT) {
                return null;
            }
            float[] out = new float[dimension];
            exactRows.read(row, out, exactRows.newReadBuffer());
            return out;
        } finally {
            readLock.unlock();
        }
    }

    /** What the index would store for {@code embedding}: the unit-length copy (as {@link #add} normalises). */
    float[] unitLength(float[] embedding) {
        return normalised(embedding, "embedding");
    }

    // ---- search internals (caller holds the read lock) ----

    /** The exact top {@code k}: 8-bit scans with more candidates each time until the proof in the class comment holds. */
    private PersonTopK search(float[] query, int rows, int k, float threshold, PersonType filter) {
        float epsilon = maxResidual + ROUNDING_SLACK;
        float approximateThreshold = threshold - epsilon;
        float[] exact = new float[dimension];
        java.nio.ByteBuffer buffer = exactRows.newReadBuffer();
        for (int wanted = Math.max(MIN_CANDIDATES, 16 * k); ; wanted = (int) Math.min(Integer.MAX_VALUE, wanted * 8L)) {
            CandidateRows candidates = scan(query, rows, wanted, approximateThreshold, filter);
            PersonTopK best = new PersonTopK(k);
            for (int i = 0; i < candidates.size(); i++) {
                int row = candidates.row(i);
                exactRows.read(row, exact, buffer);
                float score = DotProduct.dot(query, exact, 0);
                if (score >= threshold) {
                    best.offer(ordinalBlocks[row >>> blockShift][row & blockMask], score,
                            sampleIdBlocks[row >>> blockShift][row & blockMask]);
                }
            }
            if (!candidates.full() || wanted >= rows) {
                return best; // every row that could reach the threshold was scored exactly
            }
            float needed = best.size() == k ? best.floor() : threshold;
            if (candidates.worst() + epsilon < needed) {
                return best; // no row left out can beat the k-th person or reach the threshold
            }
        }
    }

    private CandidateRows scan(float[] query, int rows, int wanted, float threshold, PersonType filter) {
        // The arrays are read into locals under the read lock. Helper threads read them without taking the lock
        // themselves: the caller holds it until every helper that started has finished, so no write can run
        // meanwhile, and submitting a task happens-before it runs, so helpers see everything written before.
        RowBlocks blocks = new RowBlocks(codeBlocks, scaleBlocks, ordinalBlocks, typeOfOrdinal,
                blockShift, blockMask, blockRows, dimension);
        int k = Math.min(wanted, rows);
        // Chunks hold a quarter of the floats' bytes per row now, so the same bytes per chunk are 4× the rows.
        int chunkRows = Math.max(1, chunkFloats * Float.BYTES / dimension);
        int chunks = (int) (((long) rows + chunkRows - 1) / chunkRows);
        ForkJoinPool pool = scanPool != null ? scanPool : SharedScanPool.pool();
        int helpers = pool == null ? 0 : Math.min(chunks - 1, pool.getParallelism());
        if (helpers <= 0) {
            return blocks.scan(query, 0, rows, k, threshold, filter);
        }
        ParallelScan scan = new ParallelScan(blocks, query, rows, chunkRows, chunks, k, threshold, filter);
        List<ParallelScan.Helper> started = new ArrayList<>(helpers);
        CandidateRows merged;
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
        CandidateRows work() {
            CandidateRows best = new CandidateRows(k);
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
            private ForkJoinTask<CandidateRows> task;
            private boolean ran;

            private CandidateRows run() {
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
            CandidateRows result() {
                return ran ? task.join() : new CandidateRows(k);
            }
        }
    }

    /** An immutable view of the row arrays for one scan; its {@link #scan} is the hot loop. */
    private record RowBlocks(byte[][] codes, float[][] scales, int[][] ordinals, PersonType[] typeOfOrdinal,
                             int blockShift, int blockMask, int blockRows, int dimension) {

        CandidateRows scan(float[] query, int from, int to, int k, float threshold, PersonType filter) {
            CandidateRows best = new CandidateRows(k);
            scan(query, from, to, best, threshold, filter);
            return best;
        }

        void scan(float[] query, int from, int to, CandidateRows best, float threshold, PersonType filter) {
            // Rows below the floor cannot enter: compared first, so almost every row costs just the dot product.
            float floor = Math.max(threshold, best.floor());
            float[] pair = new float[2];
            int row = from;
            while (row < to) {
                int block = row >>> blockShift;
                int start = row & blockMask;
                int end = Math.min(blockRows, start + (to - row));
                byte[] blockCodes = codes[block];
                float[] blockScales = scales[block];
                int[] blockOrdinals = ordinals[block];
                int firstRow = block << blockShift;
                // Two adjacent rows per step (DotProduct.dot2), offered in row order as one at a time would be.
                for (int r = start; r < end; r += 2) {
                    boolean first = filter == null || typeOfOrdinal[blockOrdinals[r]] == filter;
                    boolean second = r + 1 < end && (filter == null || typeOfOrdinal[blockOrdinals[r + 1]] == filter);
                    if (first && second) {
                        DotProduct.dot2(query, blockCodes, r * dimension, pair);
                        float score = blockScales[r] * pair[0];
                        if (score >= floor) {
                            best.offer(firstRow + r, score);
                            floor = Math.max(threshold, best.floor());
                        }
                        score = blockScales[r + 1] * pair[1];
                        if (score >= floor) {
                            best.offer(firstRow + r + 1, score);
                            floor = Math.max(threshold, best.floor());
                        }
                    } else if (first || second) {
                        int only = first ? r : r + 1;
                        float score = blockScales[only] * DotProduct.dot(query, blockCodes, only * dimension);
                        if (score >= floor) {
                            best.offer(firstRow + only, score);
                            floor = Math.max(threshold, best.floor());
                        }
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
            writeRow(existing, unit);
            ordinalBlocks[block][offset] = ordinal;
            // Release after acquiring, so re-adding to the same person never frees its ordinal in between.
            releaseOrdinal(oldOrdinal);
            return;
        }
        int row = rowCount;
        int block = row >>> blockShift;
        int offset = row & blockMask;
        writeRow(row, unit);
        ordinalBlocks[block][offset] = ordinal;
        sampleIdBlocks[block][offset] = sampleId;
        rowOfSample.put(sampleId, row);
        rowCount = row + 1;
    }

    /** Writes the exact row to the file, then its 8-bit codes and scale; grows ε when its residual is larger. */
    private void writeRow(int row, float[] unit) {
        exactRows.write(row, unit);
        float maxAbs = 0;
        for (float v : unit) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        float scale = maxAbs / CODE_MAX;
        byte[] codes = codeBlocks[row >>> blockShift];
        int base = (row & blockMask) * dimension;
        double residual = 0;
        for (int i = 0; i < dimension; i++) {
            int code = Math.clamp(Math.round(unit[i] / scale), -CODE_MAX, CODE_MAX);
            codes[base + i] = (byte) code;
            double error = unit[i] - (double) scale * code;
            residual += error * error;
        }
        scaleBlocks[row >>> blockShift][row & blockMask] = scale;
        // Rounded up to the next float so that ε never under-states a residual.
        maxResidual = Math.max(maxResidual, Math.nextUp((float) Math.sqrt(residual)));
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
            System.arraycopy(codeBlocks[lastBlock], lastOffset * dimension,
                    codeBlocks[block], offset * dimension, dimension);
            scaleBlocks[block][offset] = scaleBlocks[lastBlock][lastOffset];
            exactRows.move(last, row);
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
        // 0.5 MB of codes instead of an 8 MB block; the copies add up to at most one block, once.
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
        if (blocksNeeded > codeBlocks.length) {
            int length = (int) Math.max(blocksNeeded, Math.max(4, codeBlocks.length * 2L));
            codeBlocks = Arrays.copyOf(codeBlocks, length);
            scaleBlocks = Arrays.copyOf(scaleBlocks, length);
            ordinalBlocks = Arrays.copyOf(ordinalBlocks, length);
            sampleIdBlocks = Arrays.copyOf(sampleIdBlocks, length);
        }
        while (blockCount < blocksNeeded) {
            byte[] codes = new byte[blockRows * dimension];
            float[] scales = new float[blockRows];
            int[] ordinals = new int[blockRows];
            long[] sampleIds = new long[blockRows];
            codeBlocks[blockCount] = codes;
            scaleBlocks[blockCount] = scales;
            ordinalBlocks[blockCount] = ordinals;
            sampleIdBlocks[blockCount] = sampleIds;
            blockCount++;
        }
    }

    private void resizeFirstBlock(int rows) {
        if (codeBlocks.length == 0) {
            codeBlocks = new byte[4][];
            scaleBlocks = new float[4][];
            ordinalBlocks = new int[4][];
            sampleIdBlocks = new long[4][];
        }
        // Allocate all four before replacing any, so an OutOfMemoryError leaves the index as it was.
        byte[] codes = blockCount == 0 ? new byte[rows * dimension] : Arrays.copyOf(codeBlocks[0], rows * dimension);
        float[] scales = blockCount == 0 ? new float[rows] : Arrays.copyOf(scaleBlocks[0], rows);
        int[] ordinals = blockCount == 0 ? new int[rows] : Arrays.copyOf(ordinalBlocks[0], rows);
        long[] sampleIds = blockCount == 0 ? new long[rows] : Arrays.copyOf(sampleIdBlocks[0], rows);
        codeBlocks[0] = codes;
        scaleBlocks[0] = scales;
        ordinalBlocks[0] = ordinals;
        sampleIdBlocks[0] = sampleIds;
        blockCount = Math.max(blockCount, 1);
    }

    /** Rows that fit in the allocated blocks: only the first block can be shorter than {@link #blockRows}. */
    private int capacityRows() {
        return blockCount == 0 ? 0 : ordinalBlocks[0].length + (blockCount - 1) * blockRows;
    }

    /**
     * Frees trailing blocks once the rows fit in fewer, and the exact rows beyond them. One spare block is kept so
     * that a gallery hovering at a block boundary does not allocate and free a block on every enrollment and deletion.
     */
    private void releaseSpareBlocks() {
        int blocksInUse = (rowCount + blockRows - 1) >>> blockShift;
        if (blockCount > blocksInUse + 1) {
            exactRows.truncate(rowCount);
        }
        while (blockCount > blocksInUse + 1) {
            blockCount--;
            codeBlocks[blockCount] = null;
            scaleBlocks[blockCount] = null;
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
        rowsOfType[typeOfOrdinal[ordinal].ordinal()]++;
        return ordinal;
    }

    /** Counts one row less for the ordinal; a person without rows is forgotten and its ordinal reused. */
    private void releaseOrdinal(int ordinal) {
        rowsOfType[typeOfOrdinal[ordinal].ordinal()]--;
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

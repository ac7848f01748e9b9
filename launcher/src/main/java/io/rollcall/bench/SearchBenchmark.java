package io.rollcall.bench;

import io.rollcall.gallery.GalleryIndex;
import io.rollcall.gallery.GallerySample;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.gallery.SearchOptions;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Search latency of {@link GalleryIndex} at growing gallery sizes: one query at a time, on an otherwise idle
 * machine, so the figure is what a single recognition request waits for the gallery. Not a test: timings
 * depend on the machine, and tests assert no timings.
 *
 * <p>Each size also measures recall@1 against the exact answer: the rows are generated again from their seed and
 * scanned in float, one at a time, so the check needs no second copy of the gallery in memory. Half the queries are
 * random, half are near-copies of stored rows (a second photo of an enrolled person).
 *
 * <p>Run (a million 512-d rows fit in {@code -Xmx1g}):
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx1g -cp worker/target/classes io.rollcall.bench.SearchBenchmark
 * </pre>
 * Options: {@code --sizes 1000,10000 --dim 512 --warmup 30 --queries 200 --top 5}. Other work on the machine
 * shows up directly in p99; compare runs taken at similar load.
 */
public final class SearchBenchmark {

    /** Default gallery sizes: a class, a school, a district, the design limit of one worker. */
    public static final int[] DEFAULT_SIZES = {1_000, 10_000, 100_000, 1_000_000};

    /** Samples per person: enrollments typically keep a few photos of each person. */
    private static final int SAMPLES_PER_PERSON = 4;

    /** Rows are copied in with {@link GalleryIndex#addAll} in pages of this size, as the start-up rebuild does. */
    private static final int PAGE_ROWS = 4_096;

    private static final long WARMUP_NANOS = 1_000_000_000L;

    /**
     * @param gallerySize   stored samples
     * @param p50Millis     median search latency
     * @param p99Millis     99th-percentile search latency
     * @param heapBytesUsed JVM heap in use after a full GC with the gallery loaded (whole process)
     * @param galleryBytes  the index's own estimate ({@link io.rollcall.gallery.GalleryStats#bytesUsed()})
     * @param exactRowBytes the exact rows in the index's file, outside the heap
     * @param recallQueries queries checked against the exact scan
     * @param recallAt1     share of them whose top-1 (person, sample and similarity) equals the exact scan's
     */
    public record Result(int gallerySize, double p50Millis, double p99Millis, long heapBytesUsed, long galleryBytes,
                         long exactRowBytes, int recallQueries, double recallAt1) {
    }

    /** Queries checked against the exact scan at each size. */
    private static final int RECALL_QUERIES = 40;

    /** Noise on a stored row that makes a near-copy query: about what a second photo of the same face differs by. */
    private static final float NEAR_COPY_NOISE = 0.02f;

    private SearchBenchmark() {
    }

    /** {@link #run(int[], int, int, int, int, long)} with the default sizes at 512-d, 30 warm-up and 200 queries. */
    public static List<Result> run() {
        return run(DEFAULT_SIZES, 512, 30, 200, 5, 20240901L);
    }

    /**
     * Builds one gallery, growing it through {@code sizes} (ascending), and times {@code queries} searches at
     * each size after at least {@code warmup} untimed ones and one second of warm-up.
     */
    public static List<Result> run(int[] sizes, int dimension, int warmup, int queries, int topK, long seed) {
        int[] ascending = sizes.clone();
        Arrays.sort(ascending);
        RandomFloats rowRandom = new RandomFloats(seed);
        RandomFloats random = new RandomFloats(seed ^ 0x5DEECE66DL);
        GalleryIndex gallery = new GalleryIndex(dimension);
        SearchOptions options = new SearchOptions(topK, SearchOptions.NO_THRESHOLD, null);
        List<Result> results = new ArrayList<>();
        long checksum = 0;
        for (int size : ascending) {
            int from = gallery.size();
            List<float[]> nearCopyBases = new ArrayList<>();
            grow(gallery, size, dimension, rowRandom, Math.max(1, (size - from) / (RECALL_QUERIES / 2)), nearCopyBases);
            long heapBytes = heapUsedAfterGc();
            // At least `warmup` queries and one second, so small galleries run enough rows for C2 to compile
            // the Vector API kernel before timing starts.
            long warmupEnd = System.nanoTime() + WARMUP_NANOS;
            for (int i = 0; i < warmup || System.nanoTime() < warmupEnd; i++) {
                checksum += gallery.search(random.vector(dimension), options).getFirst().sampleId();
            }
            double[] millis = new double[queries];
            for (int i = 0; i < queries; i++) {
                float[] query = random.vector(dimension);
                long start = System.nanoTime();
                List<GalleryMatch> hits = gallery.search(query, options);
                millis[i] = (System.nanoTime() - start) / 1e6;
                checksum += hits.getFirst().sampleId();
            }
            Arrays.sort(millis);
            double recall = recallAt1(gallery, size, dimension, seed, random, nearCopyBases);
            results.add(new Result(size, percentile(millis, 50), percentile(millis, 99), heapBytes,
                    gallery.stats().bytesUsed(), gallery.stats().exactRowBytes(), RECALL_QUERIES, recall));
        }
        if (checksum == 42) {
            // Keeps the JIT from discarding the searches; never true in practice.
            System.out.println("checksum " + checksum);
        }
        return results;
    }

    public static void main(String[] args) {
        int[] sizes = DEFAULT_SIZES;
        int dimension = 512;
        int warmup = 30;
        int queries = 200;
        int topK = 5;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(value.split(",")).mapToInt(s -> Integer.parseInt(s.strip()))
                        .toArray();
                case "--dim" -> dimension = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--queries" -> queries = Integer.parseInt(value);
                case "--top" -> topK = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --sizes, --dim, --warmup, --queries, --top)");
            }
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        List<Result> results = run(sizes, dimension, warmup, queries, topK, 20240901L);
        Runtime runtime = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "Java %s, %d cores, max heap %d MiB, dim %d, top %d, %d queries after"
                        + " %d+ warm-up, 1-min load average %.2f before and %.2f after%n%n",
                Runtime.version(), runtime.availableProcessors(), runtime.maxMemory() >> 20, dimension, topK,
                queries, warmup, loadBefore, os.getSystemLoadAverage());
        System.out.println("| gallery size | p50 ms | p99 ms | heap used MiB | gallery MiB |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (Result result : results) {
            System.out.printf(Locale.ROOT, "| %,d | %.3f | %.3f | %,d | %,d |%n", result.gallerySize(),
                    result.p50Millis(), result.p99Millis(), result.heapBytesUsed() >> 20,
                    result.galleryBytes() >> 20);
        }
    }

    /**
     * Share of {@link #RECALL_QUERIES} queries whose top-1 equals an exact float scan's: the rows are drawn again
     * from {@code seed} in the same order and compared one by one (the best row is the best person's best sample).
     */
    private static double recallAt1(GalleryIndex gallery, int size, int dimension, long seed, RandomFloats random,
                                    List<float[]> nearCopyBases) {
        float[][] queries = new float[RECALL_QUERIES][];
        for (int q = 0; q < RECALL_QUERIES; q++) {
            float[] query = random.vector(dimension);
            if (q < nearCopyBases.size()) {
                float[] base = nearCopyBases.get(q);
                for (int i = 0; i < dimension; i++) {
                    query[i] = base[i] + NEAR_COPY_NOISE * query[i];
                }
            }
            queries[q] = unit(query);
        }
        float[] bestScore = new float[RECALL_QUERIES];
        long[] bestId = new long[RECALL_QUERIES];
        Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
        RandomFloats rows = new RandomFloats(seed);
        for (int row = 0; row < size; row++) {
            float[] v = unit(rows.vector(dimension));
            for (int q = 0; q < RECALL_QUERIES; q++) {
                float score = dot(queries[q], v);
                if (score > bestScore[q]) { // rows come in id order, so the first of equal scores has the lower id
                    bestScore[q] = score;
                    bestId[q] = row + 1L;
                }
            }
        }
        int same = 0;
        SearchOptions top1 = SearchOptions.top(1);
        for (int q = 0; q < RECALL_QUERIES; q++) {
            GalleryMatch hit = gallery.search(queries[q], top1).getFirst();
            if (hit.sampleId() == bestId[q]) {
                same++;
            }
        }
        return same / (double) RECALL_QUERIES;
    }

    /** As the index normalises: the norm in double, each value rounded to float once. */
    private static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double scale = 1 / Math.sqrt(sum);
        float[] unit = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] * scale);
        }
        return unit;
    }

    /** Plain float dot product: the reference, free of the index's code. */
    private static float dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return (float) sum;
    }

    private static void grow(GalleryIndex gallery, int size, int dimension, RandomFloats random, int keepEvery,
                             List<float[]> kept) {
        List<GallerySample> page = new ArrayList<>(PAGE_ROWS);
        for (int row = gallery.size(); row < size; row++) {
            int person = row / SAMPLES_PER_PERSON;
            PersonType type = person % 20 == 0 ? PersonType.TEACHER : PersonType.STUDENT;
            PersonRef ref = new PersonRef(type, (type == PersonType.TEACHER ? "T" : "S") + person);
            float[] vector = random.vector(dimension);
            if (row % keepEvery == 0 && kept.size() < RECALL_QUERIES / 2) {
                kept.add(vector);
            }
            page.add(new GallerySample(row + 1L, ref, vector));
            if (page.size() == PAGE_ROWS) {
                gallery.addAll(page);
                page.clear();
            }
        }
        gallery.addAll(page);
    }

    private static long heapUsedAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /**
     * xorshift64* → uniform floats in [-1, 1): a billion of them take seconds instead of the minute that
     * {@code Random.nextGaussian} would. Directions are not uniform on the sphere, which timing does not need.
     */
    private static final class RandomFloats {
        private long state;

        RandomFloats(long seed) {
            state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        }

        float[] vector(int dimension) {
            float[] vector = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                state ^= state >>> 12;
                state ^= state << 25;
                state ^= state >>> 27;
                long bits = state * 0x2545F4914F6CDD1DL;
                vector[i] = (bits >>> 40) * 0x1.0p-23f - 1f;
            }
            return vector;
        }
    }
}

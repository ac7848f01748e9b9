package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

/** Random galleries and the plain double-precision search the index must agree with. */
final class TestVectors {

    private TestVectors() {
    }

    /** A stored sample as the test remembers it. */
    record Row(long sampleId, PersonRef person, float[] embedding) {
    }

    /**
     * An index laid out to exercise every path on small data: 8-row blocks, parallel chunks of 7 rows scanned by
     * the caller and three helpers.
     */
    static GalleryIndex smallBlocksParallel(int dimension, ForkJoinPool helpers) {
        return new GalleryIndex(dimension, 8, 7 * dimension, helpers);
    }

    /** A Gaussian vector: its direction is uniform on the sphere, and it is deliberately not unit length. */
    static float[] gaussian(Random random, int dimension) {
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) (random.nextGaussian() * 3);
        }
        return vector;
    }

    /** {@code base} plus Gaussian noise of the given size: a second photo of the same face. */
    static float[] near(Random random, float[] base, double noise) {
        double norm = norm(base);
        float[] vector = new float[base.length];
        for (int i = 0; i < base.length; i++) {
            vector[i] = (float) (base[i] / norm + random.nextGaussian() * noise / Math.sqrt(base.length));
        }
        return vector;
    }

    /** Rows for {@code persons} persons of both types, each with one or more samples, distinct ids. */
    static List<Row> randomRows(Random random, int count, int persons, int dimension) {
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int person = random.nextInt(persons);
            PersonType type = person % 3 == 0 ? PersonType.TEACHER : PersonType.STUDENT;
            PersonRef ref = new PersonRef(type, "P" + person);
            rows.add(new Row(1_000L + 7L * i + random.nextInt(7), ref, gaussian(random, dimension)));
        }
        return rows;
    }

    /**
     * What a search must return, computed the obvious way in double precision: each person's best sample (ties
     * to the lower id), filtered, thresholded, sorted by similarity then sample id, cut to topK.
     */
    static List<GalleryMatch> bruteForce(List<Row> rows, float[] query, SearchOptions options) {
        Map<PersonRef, Candidate> best = new HashMap<>();
        for (Row row : rows) {
            if (options.filterOrNull() != null && row.person().type() != options.filterOrNull()) {
                continue;
            }
            double similarity = cosine(query, row.embedding());
            if (options.minSimilarity() > -1f && similarity < options.minSimilarity()) {
                continue;
            }
            Candidate candidate = new Candidate(row.person(), row.sampleId(), similarity);
            best.merge(row.person(), candidate, (a, b) -> RANKING.compare(a, b) <= 0 ? a : b);
        }
        return best.values().stream().sorted(RANKING).limit(options.topK())
                .map(c -> new GalleryMatch(c.person(), c.sampleId(), (float) c.similarity()))
                .toList();
    }

    private record Candidate(PersonRef person, long sampleId, double similarity) {
    }

    private static final Comparator<Candidate> RANKING = Comparator.comparingDouble(Candidate::similarity)
            .reversed().thenComparingLong(Candidate::sampleId);

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }
}

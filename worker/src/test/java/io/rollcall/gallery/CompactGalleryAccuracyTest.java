package io.rollcall.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.engine.FaceAnalysis;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.testing.DevData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 8-bit gallery answers exactly what a float scan over every row answers: same persons, same samples, the same
 * similarity bits, on the dev set's real embeddings and on a gallery of real, synthetic and near-duplicate rows where
 * the 8-bit scores alone would often pick the wrong row.
 */
class CompactGalleryAccuracyTest {
    private static final int DIM = 512;
    private static final List<Photo> DEV = new ArrayList<>();

    record Photo(String identity, float[] embedding) {
    }

    @BeforeAll
    static void embedDevSet() throws IOException {
        try (Stream<Path> files = Files.walk(DevData.faces())) {
            List<Path> photos = files.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png"))
                    .filter(p -> !p.getParent().getFileName().toString().startsWith("_"))
                    .sorted().toList();
            for (Path photo : photos) {
                try (DecodedImage image = DevData.decoder().decode(Files.readAllBytes(photo))) {
                    FaceAnalysis analysis = DevData.engine().analyze(image, FaceEngine.Embed.PRIMARY);
                    if (analysis.faceCount() > 0) {
                        DEV.add(new Photo(photo.getParent().getFileName().toString(), analysis.faces().get(0).embedding()));
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        assertThat(DEV).hasSizeGreaterThan(100);
    }

    @Test
    void everyDevProbeFindsWhatTheExactScanFinds() {
        GalleryIndex index = new GalleryIndex(DIM);
        List<TestVectors.Row> rows = new ArrayList<>();
        Map<String, Integer> firstPhoto = new HashMap<>();
        long id = 1;
        for (int i = 0; i < DEV.size(); i++) {
            Photo photo = DEV.get(i);
            if (firstPhoto.putIfAbsent(photo.identity(), i) == null) {
                rows.add(new TestVectors.Row(id++, new PersonRef(PersonType.STUDENT, "D" + firstPhoto.size()), photo.embedding()));
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            rows.add(new TestVectors.Row(id++, new PersonRef(PersonType.TEACHER, "X" + i), TestVectors.gaussian(random, DIM)));
        }
        rows.forEach(r -> index.add(r.sampleId(), r.person(), r.embedding()));

        int probes = 0;
        for (Photo probe : DEV) {
            for (int k : new int[] {1, 5}) {
                assertThat(index.search(probe.embedding(), SearchOptions.top(k))).as("probe of %s, top %d", probe.identity(), k)
                        .isEqualTo(exact(rows, probe.embedding(), k, -1f));
            }
            probes++;
        }
        assertThat(probes).isEqualTo(DEV.size());
    }

    /**
     * 20,000 rows: the dev embeddings, each with near-copies (a little noise, as further photos of one person give),
     * and Gaussian rows; queries are near-copies too. Rows that close differ by less than the 8-bit rounding, so
     * only the exact re-score can order them.
     */
    @Test
    void recallAtOneIsExactOnMixedRealAndSyntheticRows() {
        GalleryIndex index = new GalleryIndex(DIM);
        Random random = new Random(11);
        List<TestVectors.Row> rows = new ArrayList<>();
        long id = 1;
        for (Photo photo : DEV) {
            for (int copy = 0; copy < 8; copy++) {
                rows.add(new TestVectors.Row(id, new PersonRef(PersonType.STUDENT, "P" + id), nearCopy(photo.embedding(), random, 0.002)));
                id++;
            }
        }
        while (rows.size() < 20_000) {
            rows.add(new TestVectors.Row(id, new PersonRef(PersonType.STUDENT, "G" + id), TestVectors.gaussian(random, DIM)));
            id++;
        }
        List<GallerySample> samples = rows.stream().map(r -> new GallerySample(r.sampleId(), r.person(), r.embedding())).toList();
        index.addAll(samples);

        int agree = 0;
        int queries = 0;
        int approximateWouldMiss = 0;
        for (Photo photo : DEV) {
            float[] query = nearCopy(photo.embedding(), random, 0.002);
            List<GalleryMatch> exact = exact(rows, query, 1, -1f);
            if (index.search(query, SearchOptions.top(1)).equals(exact)) {
                agree++;
            }
            if (!approximateTop(index, rows, query).equals(exact.getFirst().sampleId())) {
                approximateWouldMiss++;
            }
            queries++;
        }
        for (int i = 0; i < 100; i++) {
            float[] query = TestVectors.gaussian(random, DIM);
            if (index.search(query, new SearchOptions(3, 0.05f, PersonType.STUDENT)).equals(exact(rows, query, 3, 0.05f))) {
                agree++;
            }
            queries++;
        }
        assertThat(agree).isEqualTo(queries);
        // The data is hard enough that the first pass alone would err: the re-score is what makes it exact.
        assertThat(approximateWouldMiss).isPositive();
    }

    /** The best row by 8-bit score alone (what a scan without re-score would answer). */
    private static Long approximateTop(GalleryIndex index, List<TestVectors.Row> rows, float[] query) {
        float[] unit = unit(query);
        long best = -1;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (TestVectors.Row row : rows) {
            float[] v = unit(row.embedding());
            float max = 0;
            for (float x : v) {
                max = Math.max(max, Math.abs(x));
            }
            float scale = max / 127;
            float s = 0;
            for (int i = 0; i < DIM; i++) {
                s += unit[i] * Math.clamp(Math.round(v[i] / scale), -127, 127);
            }
            s *= scale;
            if (s > bestScore) {
                bestScore = s;
                best = row.sampleId();
            }
        }
        return best;
    }

    private static float[] nearCopy(float[] v, Random random, double noise) {
        float[] copy = v.clone();
        for (int i = 0; i < copy.length; i++) {
            copy[i] += (float) (random.nextGaussian() * noise);
        }
        return copy;
    }

    /** The float scan the index must equal: every row's exact score, each person's best, best first, ties to lower id. */
    static List<GalleryMatch> exact(List<TestVectors.Row> rows, float[] query, int k, float threshold) {
        float[] unit = unit(query);
        Map<PersonRef, GalleryMatch> best = new HashMap<>();
        Comparator<GalleryMatch> order = Comparator.comparing(GalleryMatch::similarity).reversed()
                .thenComparing(GalleryMatch::sampleId);
        for (TestVectors.Row row : rows) {
            float score = DotProduct.dot(unit, unit(row.embedding()), 0);
            if (score < threshold) {
                continue;
            }
            GalleryMatch hit = new GalleryMatch(row.person(), row.sampleId(), Math.max(-1f, Math.min(1f, score)));
            best.merge(row.person(), hit, (a, b) -> order.compare(a, b) <= 0 ? a : b);
        }
        return best.values().stream().sorted(order).limit(k).toList();
    }

    /** As the index normalises: the norm in double, each value scaled and rounded to float once. */
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
}

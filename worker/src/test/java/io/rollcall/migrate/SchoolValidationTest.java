package io.rollcall.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.recognize.ImpostorTailFit;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.engine.model.ModelPack.ImpostorTail;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The school's own tail in the migration report: firm from 10,000 impostor pairs, a first estimate from 100. */
class SchoolValidationTest {
    private static final OpenSetDecision PACK = new OpenSetDecision.GallerySize(new ImpostorTail(0.3435, 0.001, 0.0343), 0.01);

    @Test
    void withTenThousandPairsTheTailIsAnchoredAtOneInAThousand() {
        List<List<float[]>> people = people(101, 1);

        MigrationReport.Validation v = SchoolValidation.of(people, PACK, 0.01, 202);

        assertThat(v.impostorPairs()).isEqualTo(101 * 100);
        assertThat(v.impostorTail()).isEqualTo(ImpostorTailFit.fit(impostorScores(people), 0.001));
        assertThat(v.recommendedThreshold())
                .isEqualTo(Math.round(new OpenSetDecision.GallerySize(v.impostorTail(), 0.01).threshold(202) * 10_000) / 10_000.0);
        assertThat(v.thresholdInForce()).isEqualTo(Math.round(PACK.threshold(202) * 10_000) / 10_000.0);
    }

    @Test
    void withFewerPairsTheTailIsAnchoredWhereTenLieAboveIt() {
        List<List<float[]>> people = people(12, 2);

        MigrationReport.Validation v = SchoolValidation.of(people, PACK, 0.01, 24);

        assertThat(v.impostorPairs()).isEqualTo(132);
        assertThat(v.impostorTail().far()).isEqualTo(0.0758);
        assertThat(v.impostorTail()).isEqualTo(ImpostorTailFit.fit(impostorScores(people), 0.0758));
        assertThat(v.recommendedThreshold()).isNotNull();
    }

    @Test
    void underAHundredPairsThereIsNoTail() {
        MigrationReport.Validation v = SchoolValidation.of(people(10, 3), PACK, 0.01, 20);

        assertThat(v.impostorPairs()).isEqualTo(90);
        assertThat(v.impostorTail()).isNull();
        assertThat(v.recommendedThreshold()).isNull();
    }

    /** {@code n} people with two photos each: a random direction, and the same direction slightly moved. */
    private static List<List<float[]>> people(int n, long seed) {
        Random random = new Random(seed);
        List<List<float[]>> people = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            float[] face = unit(random, null);
            people.add(List.of(face, unit(random, face)));
        }
        return people;
    }

    private static float[] unit(Random random, float[] near) {
        float[] v = new float[64];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() + (near == null ? 0 : 6 * near[i]));
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** Each person's second photo against every other person's first, in the report's order. */
    private static double[] impostorScores(List<List<float[]>> people) {
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            for (int k = 0; k < people.size(); k++) {
                if (k != i) {
                    double s = 0;
                    for (int d = 0; d < 64; d++) {
                        s += (double) people.get(i).get(1)[d] * people.get(k).getFirst()[d];
                    }
                    scores.add(s);
                }
            }
        }
        return scores.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

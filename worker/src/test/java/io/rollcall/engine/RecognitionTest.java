package io.rollcall.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.engine.image.DecodedImage;
import io.rollcall.testing.DevData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Same person vs different person with the dev pack's recognizer on real photos. */
class RecognitionTest {

    @Test
    void recognisesTheSamePersonAcrossDifferentPhotos() {
        assertThat(cosine("angelina_jolie/01.jpg", "angelina_jolie/02.jpg")).isGreaterThan(0.6);
        assertThat(cosine("tom_hanks/01.jpg", "tom_hanks/02.jpg")).isGreaterThan(0.6);
        assertThat(cosine("kit_harington/04.jpg", "kit_harington/05.jpg")).isGreaterThan(0.5);
    }

    @Test
    void keepsDifferentPeopleApart() {
        assertThat(cosine("angelina_jolie/01.jpg", "katy_perry/01.jpg")).isLessThan(0.3);
        assertThat(cosine("tom_hanks/01.jpg", "vladimir_putin/01.jpg")).isLessThan(0.3);
        assertThat(cosine("kit_harington/04.jpg", "rose_leslie/01.jpg")).isLessThan(0.3);
    }

    @Test
    void everySamePersonPairScoresAboveEveryDifferentPersonPairInThisSet() {
        List<String> a = List.of("angelina_jolie/01.jpg", "angelina_jolie/05.jpg", "angelina_jolie/07.jpg");
        List<String> b = List.of("scarlett_johansson/01.jpg", "scarlett_johansson/03.jpg", "scarlett_johansson/07.jpg");
        double lowestGenuine = Math.min(minPair(a, a), minPair(b, b));
        double highestImpostor = maxPair(a, b);
        assertThat(lowestGenuine).isGreaterThan(highestImpostor + 0.2);
    }

    @Test
    void embeddingsAreUnitLengthAndDeterministic() {
        float[] first = embedding("elon_musk/01.jpg");
        float[] again = embedding("elon_musk/01.jpg");
        assertThat(first).hasSize(512);
        double norm = 0;
        for (float v : first) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
        assertThat(again).containsExactly(first);
    }

    private static double minPair(List<String> x, List<String> y) {
        double min = Double.MAX_VALUE;
        for (String p : x) {
            for (String q : y) {
                if (!p.equals(q)) {
                    min = Math.min(min, cosine(p, q));
                }
            }
        }
        return min;
    }

    private static double maxPair(List<String> x, List<String> y) {
        double max = -Double.MAX_VALUE;
        for (String p : x) {
            for (String q : y) {
                max = Math.max(max, cosine(p, q));
            }
        }
        return max;
    }

    static double cosine(String p, String q) {
        float[] a = embedding(p);
        float[] b = embedding(q);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static float[] embedding(String photo) {
        try (DecodedImage image = DevData.decode(photo)) {
            FaceAnalysis analysis = DevData.engine().analyze(image, FaceEngine.Embed.PRIMARY);
            assertThat(analysis.faceCount()).as("faces in %s", photo).isPositive();
            return analysis.faces().get(0).embedding();
        }
    }
}

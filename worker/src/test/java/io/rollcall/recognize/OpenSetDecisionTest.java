package io.rollcall.recognize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.engine.model.ModelPack.ImpostorTail;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-set decision's threshold for a gallery of N faces, and the fit of the impostor tail it rests on. */
class OpenSetDecisionTest {
    private static final ImpostorTail DEV = new ImpostorTail(0.3435, 0.001, 0.0343);

    @Test
    void theThresholdRisesWithTheGallerySoAStrangerIsAcceptedWithTheSameProbability() {
        var decision = new OpenSetDecision.GallerySize(DEV, 0.01);

        assertThat(decision.threshold(1)).as("one face: per-pair rate 0.01 is above the fitted point").isEqualTo(0.3435);
        assertThat(decision.threshold(0)).isEqualTo(decision.threshold(1));
        assertThat(decision.threshold(27)).isCloseTo(0.3774, within(1e-4));
        assertThat(decision.threshold(1_000)).isCloseTo(0.5013, within(1e-4));
        assertThat(decision.threshold(10_000)).isCloseTo(0.5803, within(1e-4));
        assertThat(decision.threshold(Integer.MAX_VALUE)).isLessThanOrEqualTo(1.0);
    }

    @Test
    void atTheThresholdForNFacesTheChanceThatAnyOfThemPassesIsTheStrangerRate() {
        var decision = new OpenSetDecision.GallerySize(DEV, 0.02);
        for (int n : new int[] {50, 1_609, 100_000}) {
            double t = decision.threshold(n);
            double perPair = DEV.far() * Math.exp(-(t - DEV.scoreAtFar()) / DEV.scale());
            assertThat(1 - Math.pow(1 - perPair, n)).as("N = %d", n).isCloseTo(0.02, within(1e-9));
        }
    }

    @Test
    void aFixedThresholdIsTheSameForEveryGalleryAndARequestsOwnWins() {
        var settings = new RecognitionSettings(new OpenSetDecision.Fixed(0.45));

        assertThat(settings.threshold(null, 1)).isEqualTo(0.45);
        assertThat(settings.threshold(null, 100_000)).isEqualTo(0.45);
        assertThat(settings.threshold(0.7, 10)).isEqualTo(0.7);
        assertThatIllegalArgumentException().isThrownBy(() -> new OpenSetDecision.Fixed(0))
                .withMessage("SIMILARITY_THRESHOLD must be in (0, 1], got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new OpenSetDecision.GallerySize(DEV, 0))
                .withMessage("OPEN_SET_FALSE_ACCEPT_RATE must be in (0, 1), got 0.0");
    }

    @Test
    void theFitRecoversAnExponentialTailFromItsSamples() {
        // Scores below 0.3 uniformly, the top 1 % exponential above 0.3 with scale 0.04: at far = 0.001 the fitted
        // point is 0.3 + 0.04 · ln(10) and the scale 0.04 (memorylessness), both within sampling error.
        var random = new Random(7);
        double[] scores = new double[400_000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i % 100 == 0 ? 0.3 - 0.04 * Math.log(1 - random.nextDouble()) : 0.3 * random.nextDouble();
        }

        ImpostorTail tail = ImpostorTailFit.fit(scores, 0.001);

        assertThat(tail.far()).isEqualTo(0.001);
        assertThat(tail.scoreAtFar()).isCloseTo(0.3 + 0.04 * Math.log(10), within(0.006));
        assertThat(tail.scale()).isCloseTo(0.04, within(0.004));
    }

    @Test
    void tooFewPairsForTheRateAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ImpostorTailFit.fit(new double[9_999], 0.001))
                .withMessage("fitting the impostor tail at 0.001 needs at least 10000 impostor pairs, got 9999:"
                        + " use a labelled set with more people");
    }
}

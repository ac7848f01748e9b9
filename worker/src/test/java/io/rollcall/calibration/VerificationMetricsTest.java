package io.rollcall.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerificationMetricsTest {

    @Test
    void thresholdAtFarLetsThroughAtMostTheAllowedImpostors() {
        double[] impostor = new double[200];
        for (int i = 0; i < impostor.length; i++) {
            impostor[i] = i / 1000.0; // 0.000 .. 0.199
        }
        VerificationMetrics m = new VerificationMetrics(new double[] {0.5}, impostor);
        // FAR 1e-2 of 200 allows 2 impostors: 0.199 and 0.198 pass, 0.197 must not.
        double t = m.thresholdAtFar(1e-2);
        assertThat(t).isGreaterThan(0.197).isLessThan(0.1971);
        assertThat(m.falseAcceptRate(t)).isEqualTo(2 / 200.0);
        // FAR 1e-3 of 200 allows none: the threshold sits just above the highest impostor.
        assertThat(m.falseAcceptRate(m.thresholdAtFar(1e-3))).isZero();
    }

    @Test
    void tarCountsGenuinePairsAtOrAboveTheThreshold() {
        double[] genuine = {0.10, 0.30, 0.30, 0.55, 0.90};
        double[] impostor = {0.0, 0.05, 0.29};
        VerificationMetrics m = new VerificationMetrics(genuine, impostor);
        // FAR 1e-2 of 3 impostors allows none: threshold just above 0.29, so 0.30, 0.30, 0.55, 0.90 pass.
        assertThat(m.tarAtFar(1e-2)).isEqualTo(4 / 5.0);
        assertThat(m.trueAcceptRate(0.30)).isEqualTo(4 / 5.0);
        assertThat(m.trueAcceptRate(0.31)).isEqualTo(2 / 5.0);
        assertThat(m.trueAcceptRate(0.95)).isZero();
    }

    @Test
    void emptyScoreSetsGiveNaNRatherThanAFakeNumber() {
        VerificationMetrics m = new VerificationMetrics(new double[0], new double[0]);
        assertThat(m.thresholdAtFar(1e-2)).isNaN();
        assertThat(m.tarAtFar(1e-2)).isNaN();
    }
}

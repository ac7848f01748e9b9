package io.rollcall.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.engine.model.ModelPack.ImpostorTail;
import io.rollcall.eval.Evaluator.ProbeOutcome;
import io.rollcall.recognize.OpenSetDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accepted-vs-strangers points eval reports: each count exact on a handful of outcomes. */
class OpenSetCurvesTest {
    private static final List<ProbeOutcome> PROBES = List.of(
            new ProbeOutcome("a/2.jpg", "a", "a", 0.62),
            new ProbeOutcome("a/3.jpg", "a", "b", 0.45),
            new ProbeOutcome("b/2.jpg", "b", "b", 0.40),
            new ProbeOutcome("c/2.jpg", "c", null, Double.NaN));
    private static final double[] STRANGERS = {0.10, 0.39, 0.41, 0.50};

    @Test
    void aPointCountsRightAndWrongAcceptancesOverProbesWithAFaceAndStrangersOverAll() {
        assertThat(OpenSetCurves.point(PROBES, STRANGERS, 0.40))
                .isEqualTo(new OpenSetCurves.Point(null, 0.40, 0.6667, 0.3333, 0.5));
        assertThat(OpenSetCurves.point(PROBES, STRANGERS, 0.46))
                .isEqualTo(new OpenSetCurves.Point(null, 0.46, 0.3333, 0.0, 0.25));
        assertThat(OpenSetCurves.point(PROBES, STRANGERS, 0.70))
                .isEqualTo(new OpenSetCurves.Point(null, 0.70, 0.0, 0.0, 0.0));
    }

    @Test
    void aScoreOnTheThresholdIsAcceptedAsTheGallerySearchAcceptsIt() {
        // 0.1 + 0.2 is 0.30000000000000004 in double: compared in float, as the gallery compares, it is 0.3.
        var onThreshold = List.of(new ProbeOutcome("a/2.jpg", "a", "a", 0.1 + 0.2));

        assertThat(OpenSetCurves.point(onThreshold, new double[] {0.3}, 0.3).tar()).isEqualTo(1.0);
        assertThat(OpenSetCurves.point(onThreshold, new double[] {0.3}, 0.3).strangersAccepted()).isEqualTo(1.0);
    }

    @Test
    void theFixedCurveSweeps020To080AndTheDecisionsCurveItsTargetRates() {
        var decision = new OpenSetDecision.GallerySize(new ImpostorTail(0.3435, 0.001, 0.0343), 0.01);

        OpenSetCurves curves = OpenSetCurves.of(PROBES, STRANGERS, 2, decision, new double[] {0.01, 0.1});

        assertThat(curves.fixed()).hasSize(61);
        assertThat(curves.fixed().get(0).threshold()).isEqualTo(0.2);
        assertThat(curves.fixed().get(60).threshold()).isEqualTo(0.8);
        assertThat(curves.decision()).extracting(OpenSetCurves.Point::strangerRate).containsExactly(0.01, 0.1);
        assertThat(curves.decision().get(0).threshold())
                .isEqualTo(Math.round(new OpenSetDecision.GallerySize(decision.tail(), 0.01).threshold(2) * 10_000) / 10_000.0);
        assertThat(OpenSetCurves.of(PROBES, STRANGERS, 2, new OpenSetDecision.Fixed(0.4), new double[] {0.01}).decision())
                .as("a fixed threshold has no curve of its own").isEmpty();
    }
}

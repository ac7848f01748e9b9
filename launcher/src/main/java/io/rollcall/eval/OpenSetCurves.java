package io.rollcall.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rollcall.recognize.OpenSetDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * The trade-off a school chooses from: how many enrolled people are accepted (as themselves) against how many
 * strangers are accepted as someone, for a fixed threshold swept over its range and for the open-set decision
 * swept over its target stranger rate.
 *
 * @param fixed    one point per fixed threshold from 0.20 to 0.80
 * @param decision one point per target stranger rate, at the threshold the decision gives this gallery
 */
public record OpenSetCurves(List<Point> fixed, @JsonProperty("decision") List<Point> decision) {

    /**
     * @param strangerRate      the decision's target, or null on the fixed-threshold curve
     * @param tar               enrolled probes accepted as the right person ÷ enrolled probes with a face
     * @param wrongPerson       enrolled probes accepted as someone else ÷ the same
     * @param strangersAccepted strangers (leave-identity-out) whose best match reached the threshold ÷ strangers
     */
    public record Point(Double strangerRate, double threshold, double tar, double wrongPerson, double strangersAccepted) {
    }

    static OpenSetCurves of(List<Evaluator.ProbeOutcome> probes, double[] strangers, int gallerySize,
                            OpenSetDecision decision, double[] strangerRates) {
        List<Point> fixed = new ArrayList<>();
        for (int t = 20; t <= 80; t++) {
            fixed.add(point(probes, strangers, t / 100.0));
        }
        List<Point> rule = new ArrayList<>();
        if (decision instanceof OpenSetDecision.GallerySize(var tail, double ignored)) {
            for (double rate : strangerRates) {
                double t = new OpenSetDecision.GallerySize(tail, rate).threshold(gallerySize);
                Point p = point(probes, strangers, t);
                rule.add(new Point(rate, p.threshold(), p.tar(), p.wrongPerson(), p.strangersAccepted()));
            }
        }
        return new OpenSetCurves(fixed, rule);
    }

    /** The outcome at one threshold. */
    static Point point(List<Evaluator.ProbeOutcome> probes, double[] strangers, double threshold) {
        int withFace = 0;
        int right = 0;
        int wrong = 0;
        for (Evaluator.ProbeOutcome p : probes) {
            if (p.bestIdentity() == null) {
                continue;
            }
            withFace++;
            if (p.accepted(threshold)) {
                if (p.bestIdentity().equals(p.identity())) {
                    right++;
                } else {
                    wrong++;
                }
            }
        }
        int accepted = 0;
        for (double s : strangers) {
            if ((float) s >= (float) threshold) {
                accepted++;
            }
        }
        return new Point(null, round(threshold), round(ratio(right, withFace)), round(ratio(wrong, withFace)),
                round(ratio(accepted, strangers.length)));
    }

    private static double ratio(int num, int den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : v;
    }
}

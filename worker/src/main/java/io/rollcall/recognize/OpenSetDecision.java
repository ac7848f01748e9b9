package io.rollcall.recognize;

import io.rollcall.engine.model.ModelPack.ImpostorTail;
import java.util.Objects;

/**
 * When the best match is accepted as that person, and when the face is "unknown". The door sees visitors and pupils
 * who are not enrolled, and each is compared with every enrolled face: the chance that <em>some</em> face of a
 * stranger's school clears a fixed per-pair threshold grows with the school. So the threshold is derived from the
 * size of the gallery searched, for a fixed chance that a stranger is taken for someone ({@link GallerySize}), unless
 * the operator fixes it ({@link Fixed}). A request's own {@code similarity_threshold} always wins.
 */
public sealed interface OpenSetDecision {

    /** The similarity at which the best of {@code searched} gallery faces is accepted. */
    double threshold(int searched);

    /** What {@code /api/health} and logs say the rule is. */
    String describe();

    /**
     * One threshold whatever the gallery's size: {@code SIMILARITY_THRESHOLD}, or the pack's
     * {@code recommended_threshold} for a pack without a measured impostor tail.
     */
    record Fixed(double similarity) implements OpenSetDecision {
        public Fixed {
            if (!(similarity > 0 && similarity <= 1)) {
                throw new IllegalArgumentException("SIMILARITY_THRESHOLD must be in (0, 1], got " + similarity);
            }
        }

        @Override
        public double threshold(int searched) {
            return similarity;
        }

        @Override
        public String describe() {
            return "fixed threshold " + similarity;
        }
    }

    /**
     * The threshold at which a stranger compared with {@code N} gallery faces is accepted as someone with probability
     * {@code strangerRate}. Each comparison passes a threshold {@code t} with the pack's per-pair rate
     * {@code p(t) = far · exp(−(t − scoreAtFar) / scale)} ({@link ImpostorTail}); a stranger is accepted when any of
     * the N passes, {@code 1 − (1 − p)^N}. Setting that to {@code strangerRate} gives
     * {@code p = 1 − (1 − strangerRate)^(1/N)} and {@code t(N) = scoreAtFar + scale · ln(far / p)}; never below
     * {@code scoreAtFar}, where the tail was not fitted. It rises with the school: for the dev pack at 1 %,
     * 0.377 for 27 faces, 0.501 for 1,000, 0.580 for 10,000.
     *
     * <p>Measured on ../shared/faces/scale (1,609 people) and ../shared/faces/dev (27): see the README's Accuracy.
     * Rules that use more of the gallery (best-vs-second margin, T-norm, cohort and Z-norm scores, a learned
     * combination) were measured too and accept no more enrolled people at the same stranger rate, while their
     * settings do not carry from one gallery size to another.
     *
     * @param strangerRate {@code OPEN_SET_FALSE_ACCEPT_RATE}: the chance that a stranger is accepted as someone
     */
    record GallerySize(ImpostorTail tail, double strangerRate) implements OpenSetDecision {
        public GallerySize {
            Objects.requireNonNull(tail, "tail");
            if (!(strangerRate > 0 && strangerRate < 1)) {
                throw new IllegalArgumentException("OPEN_SET_FALSE_ACCEPT_RATE must be in (0, 1), got " + strangerRate);
            }
        }

        @Override
        public double threshold(int searched) {
            int n = Math.max(1, searched);
            // 1 − (1 − rate)^(1/n), without losing the small difference to rounding.
            double perPair = -Math.expm1(Math.log1p(-strangerRate) / n);
            double t = perPair >= tail.far() ? tail.scoreAtFar() : tail.scoreAtFar() + tail.scale() * Math.log(tail.far() / perPair);
            return Math.min(1, t);
        }

        @Override
        public String describe() {
            return "gallery-size threshold for " + strangerRate + " of strangers accepted";
        }
    }
}

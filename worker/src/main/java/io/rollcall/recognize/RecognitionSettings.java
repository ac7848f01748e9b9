package io.rollcall.recognize;

import java.util.Objects;

/**
 * The recognition decision's settings.
 *
 * @param decision {@code SIMILARITY_THRESHOLD} as a fixed threshold, else the active pack's open-set decision for
 *                 {@code OPEN_SET_FALSE_ACCEPT_RATE} of strangers accepted ({@link OpenSetDecision})
 */
public record RecognitionSettings(OpenSetDecision decision) {
    public RecognitionSettings {
        Objects.requireNonNull(decision, "decision");
    }

    /** The request's own threshold when it names one, else the decision's for a search of {@code searched} faces. */
    public double threshold(Double requested, int searched) {
        return requested != null ? requested : decision.threshold(searched);
    }
}

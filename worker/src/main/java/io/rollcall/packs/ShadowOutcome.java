package io.rollcall.packs;

import io.rollcall.person.PersonRef;

/**
 * A recognition run again on the shadow candidate: who each pack recognised (null: nobody), how similar, how long.
 *
 * @param activeMs the active pack's own time for the request, as its reply reported it
 */
public record ShadowOutcome(String candidatePack, String runId, PersonRef activePerson, Double activeSimilarity, int activeMs,
                            PersonRef candidatePerson, Double candidateSimilarity, int candidateMs) {

    /** Both recognised the same person, or both nobody. */
    public boolean agreed() {
        return java.util.Objects.equals(activePerson, candidatePerson);
    }
}

package io.rollcall.gallery;

import io.rollcall.person.PersonRef;

import java.util.Objects;

/**
 * One person found by a search, with the sample that matched best.
 *
 * @param person     the person
 * @param sampleId   the person's best-matching sample (the {@code FaceData.Id} it was enrolled under)
 * @param similarity cosine similarity between the query and that sample, in [-1, 1]
 */
public record PersonHit(PersonRef person, long sampleId, float similarity) {
    public PersonHit {
        Objects.requireNonNull(person, "person");
    }
}

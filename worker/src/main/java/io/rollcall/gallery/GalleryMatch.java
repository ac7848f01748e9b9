package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import java.util.Objects;

/**
 * One person a search found, with the sample that matched best. The person's display name is the gallery's
 * ({@link Gallery#name}), not the search's.
 *
 * @param person     the person
 * @param sampleId   the person's best-matching sample ({@code FaceData.Id})
 * @param similarity cosine similarity between the query and that sample, in [-1, 1]
 */
public record GalleryMatch(PersonRef person, long sampleId, float similarity) {
    public GalleryMatch {
        Objects.requireNonNull(person, "person");
    }
}

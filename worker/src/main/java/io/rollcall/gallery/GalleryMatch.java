package io.rollcall.gallery;

import io.rollcall.person.PersonRef;

/**
 * A person the gallery matched.
 *
 * @param person     who
 * @param name       their display name, as enrolled
 * @param sampleId   the FaceData id of their best-matching sample
 * @param similarity cosine similarity of the probe to that sample, −1..1
 */
public record GalleryMatch(PersonRef person, String name, long sampleId, float similarity) {
}

package io.rollcall.gallery;

import io.rollcall.person.PersonRef;

/**
 * One row for {@link GalleryIndex#addAll}: a stored face sample as read back from the database.
 * The index copies and normalises {@code embedding}; the caller keeps ownership of the array.
 *
 * @param sampleId  {@code FaceData.Id}
 * @param person    whose face it is
 * @param embedding the recognizer's output, any non-zero finite length-{@code dimension} vector
 */
public record GallerySample(long sampleId, PersonRef person, float[] embedding) {
}

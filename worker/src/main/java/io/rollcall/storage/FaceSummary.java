package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import java.time.LocalDateTime;

/**
 * One entry of a face listing ({@link FaceListing}): a person, shown by their oldest sample, or one sample. The
 * images and the embeddings stay in the database.
 *
 * @param sampleId   {@code FaceData.Id} of the sample (for a person: of their oldest sample)
 * @param person     whose face it is
 * @param personName the person's display name, or null when the school has no row for the code
 * @param enrolledAt that sample's {@code FaceData.CreatedDate}, school-local time as stored; null if the row has none
 * @param hasImage   whether the sample keeps its photo ({@code ImageData} not null); for a person, whether any does
 * @param samples    the person's samples; 1 for a sample
 */
public record FaceSummary(long sampleId, PersonRef person, String personName, LocalDateTime enrolledAt, boolean hasImage,
                          int samples) {
}

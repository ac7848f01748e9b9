package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import java.time.LocalDateTime;

/**
 * One enrolled face sample as listings show it; the image and the embedding stay in the database.
 *
 * @param sampleId   {@code FaceData.Id}
 * @param person     whose face it is
 * @param personName the person's display name, or null when the school has no row for the code
 * @param enrolledAt {@code FaceData.CreatedDate}, school-local time as stored; null if the row has none
 * @param hasImage   whether the row keeps the photo ({@code ImageData} not null)
 */
public record FaceSummary(long sampleId, PersonRef person, String personName, LocalDateTime enrolledAt, boolean hasImage) {
}

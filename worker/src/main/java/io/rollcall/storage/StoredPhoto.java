package io.rollcall.storage;

/**
 * The photo a face sample keeps.
 *
 * @param sampleId {@code FaceData.Id}
 * @param image    {@code FaceData.ImageData} as stored, or null when the sample keeps no photo
 */
public record StoredPhoto(long sampleId, byte[] image) {
}

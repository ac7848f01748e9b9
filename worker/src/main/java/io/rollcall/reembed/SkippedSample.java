package io.rollcall.reembed;

/**
 * A sample left untouched, and why.
 *
 * @param sampleId   {@code FaceData.Id}
 * @param person     {@code type/code} as stored
 * @param reason     the stable reason
 * @param detail     a short human explanation (never image or embedding data)
 */
public record SkippedSample(long sampleId, String person, SkipReason reason, String detail) {
}

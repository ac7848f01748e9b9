package io.rollcall.reembed;

/**
 * A sample whose re-embedding failed for a reason that is not the photo's (an engine fault): left untouched, and
 * the run ends with a non-zero exit code so an operator looks at it.
 *
 * @param sampleId   {@code FaceData.Id}
 * @param person     {@code type/code} as stored
 * @param error      the exception's type and message
 */
public record FailedSample(long sampleId, String person, String error) {
}

package io.rollcall.enroll;

/**
 * The enrollment rules' settings.
 *
 * @param duplicateThreshold   {@code DUPLICATE_THRESHOLD}: an enrollment photo this similar to a <em>different</em>
 *                             enrolled person is refused as {@code DUPLICATE_ENROLLMENT}. Stricter than recognition
 *                             on purpose: only a near-certain match blocks an enrollment
 * @param maxSamplesPerPerson  {@code MAX_SAMPLES_PER_PERSON}: Rollcall samples per person
 * @param sampleMatchThreshold {@code SAMPLE_MATCH_THRESHOLD}, else the pack's {@code sample_match_threshold}: a new
 *                             photo of an enrolled person less similar than this to all their samples is refused as
 *                             {@code SAMPLE_MISMATCH}. Looser than recognition on purpose: only a photo that is
 *                             clearly someone else is refused, and the caller may override it
 */
public record EnrollmentSettings(double duplicateThreshold, int maxSamplesPerPerson, double sampleMatchThreshold) {
    public EnrollmentSettings {
        if (!(duplicateThreshold > 0 && duplicateThreshold <= 1)) {
            throw new IllegalArgumentException("DUPLICATE_THRESHOLD must be in (0, 1], got " + duplicateThreshold);
        }
        if (maxSamplesPerPerson < 1) {
            throw new IllegalArgumentException("MAX_SAMPLES_PER_PERSON must be at least 1");
        }
        if (!(sampleMatchThreshold >= -1 && sampleMatchThreshold <= 1)) {
            throw new IllegalArgumentException("SAMPLE_MATCH_THRESHOLD must be in [-1, 1], got " + sampleMatchThreshold);
        }
    }
}

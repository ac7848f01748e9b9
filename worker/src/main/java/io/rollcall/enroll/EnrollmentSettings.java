package io.rollcall.enroll;

/**
 * The enrollment rules' settings.
 *
 * @param duplicateThreshold  {@code DUPLICATE_THRESHOLD}: an enrollment photo this similar to a <em>different</em>
 *                            enrolled person is refused as {@code DUPLICATE_ENROLLMENT}. Stricter than recognition
 *                            on purpose: only a near-certain match blocks an enrollment
 * @param maxSamplesPerPerson {@code MAX_SAMPLES_PER_PERSON}: photos per person
 */
public record EnrollmentSettings(double duplicateThreshold, int maxSamplesPerPerson) {
    public EnrollmentSettings {
        if (!(duplicateThreshold > 0 && duplicateThreshold <= 1)) {
            throw new IllegalArgumentException("DUPLICATE_THRESHOLD must be in (0, 1], got " + duplicateThreshold);
        }
        if (maxSamplesPerPerson < 1) {
            throw new IllegalArgumentException("MAX_SAMPLES_PER_PERSON must be at least 1");
        }
    }
}

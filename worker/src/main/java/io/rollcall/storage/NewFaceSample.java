package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import java.util.Objects;

/**
 * A face sample to store in {@code FaceData}.
 *
 * @param person       whose face it is
 * @param image        the photo as received (JPEG/PNG/WebP bytes), or null to keep no image; not copied
 * @param descriptor   the embedding and the pack that made it
 * @param originalName the uploaded file's name, or null; cut to {@value #MAX_ORIGINAL_NAME_LENGTH} characters
 * @param contentType  the image's media type, such as {@code image/jpeg}, or null
 */
public record NewFaceSample(PersonRef person, byte[] image, FaceDescriptor descriptor, String originalName,
                            String contentType) {

    /** Width of {@code FaceData.OriginalName} ({@code varchar(255)}). */
    public static final int MAX_ORIGINAL_NAME_LENGTH = 255;
    /** Width of {@code FaceData.ContentType} ({@code varchar(100)}). */
    public static final int MAX_CONTENT_TYPE_LENGTH = 100;

    public NewFaceSample {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(descriptor, "descriptor");
        if (originalName != null && originalName.length() > MAX_ORIGINAL_NAME_LENGTH) {
            // A file name is informational; losing its tail beats rejecting the enrollment.
            originalName = originalName.substring(0, MAX_ORIGINAL_NAME_LENGTH);
        }
        if (contentType != null && contentType.length() > MAX_CONTENT_TYPE_LENGTH) {
            throw new IllegalArgumentException("content type must be at most " + MAX_CONTENT_TYPE_LENGTH + " characters");
        }
    }

    /** No image bytes and no embedding: both are biometric data. */
    @Override
    public String toString() {
        return "NewFaceSample[person=" + person + ", image=" + (image == null ? "none" : image.length + " bytes")
                + ", descriptor=" + descriptor + ", originalName=" + originalName + ", contentType=" + contentType + "]";
    }
}

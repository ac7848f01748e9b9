package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One recognition attempt for {@code FaceRecognitionLogs}.
 *
 * @param eventId          the event's id from the topic (a UUID), the key that makes writing it idempotent
 * @param person           who was recognised, or null when nobody matched
 * @param confidence       the match score, or null; stored with 4 decimals ({@code DECIMAL(5,4)}), so within ±9.9999
 * @param processingTimeMs how long recognition took, or null
 * @param sourceImageName  the client's name for the image, or null; cut to 255 characters
 * @param recognizedAt     when it happened, school-local time as the {@code DATETIME} column stores it
 * @param success          whether a person was recognised
 */
public record RecognitionLogEntry(String eventId, PersonRef person, Double confidence, Integer processingTimeMs,
                                  String sourceImageName, LocalDateTime recognizedAt, boolean success) {

    /** Width of {@code FaceRecognitionLogs.EventId}: a UUID's text. */
    public static final int MAX_EVENT_ID_LENGTH = 36;
    static final int MAX_SOURCE_IMAGE_NAME_LENGTH = 255;

    public RecognitionLogEntry {
        if (eventId == null || eventId.isBlank() || eventId.length() > MAX_EVENT_ID_LENGTH) {
            throw new IllegalArgumentException("eventId must be 1 to " + MAX_EVENT_ID_LENGTH + " characters");
        }
        if (confidence != null && !(Math.abs(confidence) < 9.99995)) {
            throw new IllegalArgumentException("confidence must be finite and within ±9.9999, got " + confidence);
        }
        Objects.requireNonNull(recognizedAt, "recognizedAt");
        if (sourceImageName != null && sourceImageName.length() > MAX_SOURCE_IMAGE_NAME_LENGTH) {
            sourceImageName = sourceImageName.substring(0, MAX_SOURCE_IMAGE_NAME_LENGTH);
        }
    }
}

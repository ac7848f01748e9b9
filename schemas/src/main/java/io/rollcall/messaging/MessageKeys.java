package io.rollcall.messaging;

import io.rollcall.schemas.DeleteCommand;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.PersonType;
import java.util.Locale;

/**
 * Record keys (UTF-8 strings) for the topics whose key is more than an id; the README's topic table lists them all.
 * Kafka sends records with equal keys to the same partition, where they are consumed in order.
 */
public final class MessageKeys {
    private MessageKeys() {
    }

    /**
     * Enrollments and deletions are keyed by person, so that operations on one person reach the same worker
     * consumer in the order they were sent (no enroll racing a delete of the same person on two workers);
     * every other request by its request id, which spreads them evenly.
     */
    public static String faceRequest(FaceRequest request) {
        return switch (request.getCommand()) {
            case EnrollCommand enroll -> person(enroll.getPersonType(), enroll.getPersonCode());
            case DeleteCommand delete -> person(delete.getPersonType(), delete.getPersonCode());
            default -> request.getRequestId();
        };
    }

    /** Gallery changes are keyed by person (the topic has one partition, so the key is only for reading the log). */
    public static String galleryChange(GalleryChange change) {
        return person(change.getPersonType(), change.getPersonCode());
    }

    /**
     * {@code student:S001}: the wire name of the type and the code stripped of {@code nchar(10)} padding, as the
     * worker's {@code PersonRef.toString()} writes it.
     */
    public static String person(PersonType type, String code) {
        return type.name().toLowerCase(Locale.ROOT) + ":" + code.strip();
    }
}

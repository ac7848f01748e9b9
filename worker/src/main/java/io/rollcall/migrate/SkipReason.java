package io.rollcall.migrate;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.util.Optional;

/**
 * Why a photo of the old system was not migrated; {@link #NO_PHOTO} counts people who have none at all. Each is the
 * outcome of the one enrollment rule set ({@code FaceEnrollment}), so a photo is never forced past a rule.
 */
public enum SkipReason {
    /** The person has no photo in the old system: neither an old {@code FaceData} image nor a portrait. */
    NO_PHOTO("no_photo"),
    /** No face found ({@code NO_FACE_DETECTED}). */
    NO_FACE("no_face"),
    /** Several faces of similar size ({@code MULTIPLE_FACES}). */
    MULTIPLE_FACES("multiple_faces"),
    /** Not a readable image, too large, or gone since the run started ({@code INVALID_IMAGE}, {@code IMAGE_TOO_LARGE}). */
    UNREADABLE("unreadable"),
    /** The face already belongs to a different person ({@code DUPLICATE_ENROLLMENT}). */
    DUPLICATE("duplicate"),
    /** The face looks like none of the person's photos migrated before it ({@code SAMPLE_MISMATCH}). */
    SAMPLE_MISMATCH("sample_mismatch"),
    /** Byte for byte a photo already enrolled for the person (a portrait that repeats an old row's photo). */
    SAME_PHOTO("same_photo"),
    /** The person already has {@code MAX_SAMPLES_PER_PERSON} samples. */
    SAMPLE_LIMIT("sample_limit");

    private final String code;

    SkipReason(String code) {
        this.code = code;
    }

    /** The key in the report's {@code skipped} object and the missing-people CSV. */
    public String code() {
        return code;
    }

    /**
     * The reason an enrollment's refusal stands for, or empty when the refusal is the service's rather than the
     * photo's ({@code DATABASE_ERROR}, {@code MODEL_NOT_LOADED}, ...): those end the run, which can be resumed.
     */
    static Optional<SkipReason> of(RollcallException e) {
        ErrorCode code = e.code();
        return switch (code) {
            case NO_FACE_DETECTED -> Optional.of(NO_FACE);
            case MULTIPLE_FACES -> Optional.of(MULTIPLE_FACES);
            case INVALID_IMAGE, IMAGE_TOO_LARGE -> Optional.of(UNREADABLE);
            case DUPLICATE_ENROLLMENT -> Optional.of(DUPLICATE);
            case SAMPLE_MISMATCH -> Optional.of(SAMPLE_MISMATCH);
            // The only VALIDATION_ERROR an enrollment without a name can meet is the sample limit.
            case VALIDATION_ERROR -> e.details().containsKey("samples") ? Optional.of(SAMPLE_LIMIT) : Optional.empty();
            default -> Optional.empty();
        };
    }
}

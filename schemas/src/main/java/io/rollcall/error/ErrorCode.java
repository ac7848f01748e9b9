package io.rollcall.error;

/**
 * Every failure the service reports, with the HTTP status it maps to and the advice given to the caller.
 * The names are a public contract (the requirements' {@code error_code} values): never rename one.
 */
public enum ErrorCode {
    NO_FACE_DETECTED(422, "Ensure the image contains a clear, frontal face"),
    MULTIPLE_FACES(422, "Use a photo with exactly one person, or one face clearly larger than the others"),
    LOW_QUALITY_IMAGE(422, "Retake the photo: face well lit, in focus, looking at the camera and filling more of the frame"),
    DUPLICATE_ENROLLMENT(409, "This face is already enrolled; delete the existing enrollment or set allow_duplicate"),
    SAMPLE_MISMATCH(409, "This photo does not look like the person's enrolled photos; check person_code, or set allow_mismatch if it is them"),
    PERSON_NOT_FOUND(404, "Check person_type and person_code; list enrolled faces with GET /api/face/list/all"),
    MODEL_NOT_LOADED(503, "Install the model pack (./rollcall models install <pack>) or check MODELS_DIR"),
    DATABASE_ERROR(503, "The database is unavailable; retry shortly"),
    INVALID_IMAGE(400, "Send a JPEG, PNG or WebP image, base64-encoded, optionally with a data:image/...;base64, prefix"),
    IMAGE_TOO_LARGE(413, "Send a smaller image (resize to at most 1920 pixels on the long side)"),
    VALIDATION_ERROR(400, "Correct the named field and retry"),
    RATE_LIMITED(429, "Too many requests; wait for the time given in Retry-After"),
    REQUEST_TIMEOUT(504, "The request took too long; retry shortly"),
    SERVICE_UNAVAILABLE(503, "The service is starting, busy or cannot reach its message broker; retry shortly, after Retry-After when given"),
    UNAUTHORIZED(401, "Send a valid API key in Authorization: Bearer <key> or X-API-Key"),
    FORBIDDEN(403, "Deleting, bulk imports and /api/admin/ need a key from ADMIN_API_KEYS; a browser's origin must be listed in CORS_ALLOWED_ORIGINS"),
    REQUEST_TOO_LARGE(413, "Send a smaller request: fewer items per batch or smaller images"),
    NOT_FOUND(404, "Check the URL; GET /api/docs lists every endpoint"),
    METHOD_NOT_ALLOWED(405, "Use the HTTP method the endpoint documents"),
    BACKUP_KEY_MISSING(400, "Set BACKUP_KEY to the backup's passphrase (at least 12 characters); keep it apart from the backups"),
    BACKUP_KEY_WRONG(422, "Use the BACKUP_KEY the backup was made with; nothing was written"),
    BACKUP_TRUNCATED(422, "The backup file is incomplete: copy it again from where it was made; nothing was written"),
    BACKUP_CORRUPT(422, "The backup file was altered or damaged: use another copy; nothing was written"),
    BACKUP_UNSUPPORTED(422, "This is not a Rollcall backup, or one made by a newer version: restore it with that version"),
    PACK_SWITCH_REFUSED(409, "See GET /api/admin/model for the active pack, the candidate and the embedding job's progress"),
    INTERNAL_ERROR(500, "An unexpected error occurred; the request id identifies it in the server logs");

    private final int httpStatus;
    private final String suggestion;

    ErrorCode(int httpStatus, String suggestion) {
        this.httpStatus = httpStatus;
        this.suggestion = suggestion;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String suggestion() {
        return suggestion;
    }
}

package io.rollcall.error;

import java.util.Map;

/**
 * A failure with a stable {@link ErrorCode}. The HTTP layer maps it once to status and envelope;
 * {@code details} carries structured context (for example the missing model file) and never image or embedding data.
 */
public class RollcallException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> details;

    public RollcallException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public RollcallException(ErrorCode code, String message, Map<String, Object> details) {
        this(code, message, details, null);
    }

    public RollcallException(ErrorCode code, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}

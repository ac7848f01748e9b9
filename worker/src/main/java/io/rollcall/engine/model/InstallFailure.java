package io.rollcall.engine.model;

import java.io.IOException;
import java.util.Map;

/**
 * An install step that ran but produced something unusable (wrong hash, unsafe or incomplete archive), as opposed
 * to an I/O error. {@link ModelStore} turns it into {@code MODEL_NOT_LOADED}, keeping the details.
 */
final class InstallFailure extends IOException {
    private final Map<String, Object> details;

    InstallFailure(String message) {
        this(message, Map.of());
    }

    InstallFailure(String message, Map<String, Object> details) {
        super(message);
        this.details = Map.copyOf(details);
    }

    Map<String, Object> details() {
        return details;
    }
}

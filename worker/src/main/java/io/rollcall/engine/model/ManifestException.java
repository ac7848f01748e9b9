package io.rollcall.engine.model;

/**
 * A pack manifest that cannot be used. The message names the manifest and the offending field, so an operator can
 * fix a hand-written {@code MODELS_DIR/packs/*.json} without reading code.
 */
public final class ManifestException extends RuntimeException {
    private final String source;
    private final String field;

    ManifestException(String source, String field, String problem) {
        super("Model pack manifest " + source + (field.isEmpty() ? "" : ", field '" + field + "'") + ": " + problem);
        this.source = source;
        this.field = field;
    }

    /** The manifest file (or classpath resource) that failed. */
    public String source() {
        return source;
    }

    /** Dotted path of the bad field, for example {@code detector.input.std}; empty when the whole file is bad. */
    public String field() {
        return field;
    }
}

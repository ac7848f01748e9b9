package io.rollcall.reembed;

/** Why a sample was left as it is. The codes are stable: scripts may match on them. */
public enum SkipReason {
    /** Another pack's descriptor but no stored photo: only a new enrollment can replace it. */
    NO_IMAGE("no_image"),
    /** The stored photo does not decode (corrupt, unsupported, over the image limits). */
    UNREADABLE_IMAGE("unreadable_image"),
    /** The configured pack's detector finds no face in the stored photo. */
    NO_FACE_DETECTED("no_face_detected"),
    /** No face clearly dominates (the enrollment's primary-face rule). */
    MULTIPLE_FACES("multiple_faces"),
    /** The type or code denotes no person; the gallery could not use the row whatever its descriptor. */
    NOT_A_PERSON("not_a_person"),
    /**
     * Not Rollcall's format: the Node.js system's 128-number arrays, empty or unreadable values. The old system
     * still reads these, so they are never rewritten (counted, not listed one by one).
     */
    LEGACY_DESCRIPTOR("legacy_descriptor"),
    /** The row was deleted between the scan and the write. */
    DELETED_MEANWHILE("deleted_meanwhile");

    private final String code;

    SkipReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}

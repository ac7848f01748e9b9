package io.rollcall.gallery;

import java.util.Objects;

/**
 * A step of a model-pack change, published on the same ordered log as the {@link GalleryEvent}s, so that every
 * worker takes it at the same point of the gallery's history: a commit comes after every descriptor the candidate
 * was given, and a worker that switches holds all of them.
 *
 * @param kind   what happened
 * @param pack   the candidate (for {@code CANDIDATE}, {@code ABANDONED}) or the new active pack ({@code COMMITTED})
 * @param origin the request that caused it, for tracing; may be null
 */
public record PackEvent(Kind kind, String pack, String origin) {
    public PackEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pack, "pack");
    }

    public enum Kind {
        /** Every worker loads {@code pack} beside the active one. */
        CANDIDATE,
        /** Every worker makes {@code pack}, its candidate, the active pack. */
        COMMITTED,
        /** Every worker drops its candidate. */
        ABANDONED
    }
}

package io.rollcall.inference;

import java.util.Objects;

/**
 * The pack this worker serves with now. A use case takes {@link #current()} once per request and uses that one
 * runtime throughout, so a switch between two requests is seamless and a request never embeds with one pack and
 * searches another's gallery.
 */
public final class ActivePack {
    private volatile PackRuntime current;
    private volatile SecondaryEnrollment secondary = SecondaryEnrollment.NONE;

    public ActivePack(PackRuntime initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    public PackRuntime current() {
        return current;
    }

    /** Serves with {@code next} from now on. @return the runtime served with until now */
    public synchronized PackRuntime switchTo(PackRuntime next) {
        PackRuntime previous = current;
        current = Objects.requireNonNull(next, "next");
        return previous;
    }

    /** What an enrollment does besides storing its sample with the active pack. */
    public SecondaryEnrollment secondary() {
        return secondary;
    }

    public void secondary(SecondaryEnrollment hook) {
        this.secondary = Objects.requireNonNull(hook, "hook");
    }
}

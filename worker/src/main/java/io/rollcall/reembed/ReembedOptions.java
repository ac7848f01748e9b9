package io.rollcall.reembed;

import io.rollcall.person.PersonType;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run goes.
 *
 * @param only          a person type to limit the run to, or empty for every row
 * @param dryRun        count only: no photo is read, no engine runs, nothing is written
 * @param progressEvery report progress after every this many scanned rows (at least 1)
 */
public record ReembedOptions(Optional<PersonType> only, boolean dryRun, int progressEvery) {

    public static final int DEFAULT_PROGRESS_EVERY = 100;

    public ReembedOptions {
        Objects.requireNonNull(only, "only");
        if (progressEvery < 1) {
            throw new IllegalArgumentException("progress interval must be at least 1, got " + progressEvery);
        }
    }

    /** Every row, for real, with the default progress interval. */
    public static ReembedOptions all() {
        return new ReembedOptions(Optional.empty(), false, DEFAULT_PROGRESS_EVERY);
    }
}

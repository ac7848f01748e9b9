package io.rollcall.broker;

/**
 * The in-process Kafka broker could not start. The message names the port or directory and says what to do; the
 * {@link Reason} lets the launcher pick an exit code and lets tests assert which failure happened.
 */
public final class BrokerStartException extends RuntimeException {

    /** Why the broker did not start. */
    public enum Reason {
        /** The requested port on 127.0.0.1 is taken by another program. */
        PORT_IN_USE,
        /** Another running broker (in this process or another Rollcall) holds the data directory. */
        DATA_DIR_LOCKED,
        /** The data directory exists but is not a complete broker directory (half-formatted, foreign or damaged). */
        DATA_DIR_CORRUPT,
        /** Anything else; the broker's own log lines and the cause say more. */
        STARTUP_FAILED
    }

    private final Reason reason;

    BrokerStartException(Reason reason, String message) {
        this(reason, message, null);
    }

    BrokerStartException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

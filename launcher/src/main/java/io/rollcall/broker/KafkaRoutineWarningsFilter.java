package io.rollcall.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.slf4j.Marker;

/**
 * Drops the two warnings Kafka logs on every start and stop of a healthy in-process broker, so that a WARN in the
 * service's log always deserves a look: the controller announcing its activation (logged at WARN since Kafka 4) and
 * the broker's registration channel being closed twice during shutdown. Nothing else is filtered. Installed by
 * {@code logback.xml}.
 */
public final class KafkaRoutineWarningsFilter extends TurboFilter {
    private static final Map<String, String> ROUTINE = Map.of(
            "org.apache.kafka.controller.QuorumController", "Performing controller activation.",
            "org.apache.kafka.clients.NetworkClient", "Attempting to close NetworkClient that has already been closed.");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null) {
            return FilterReply.NEUTRAL;
        }
        String routine = ROUTINE.get(logger.getName());
        return routine != null && format.contains(routine) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}

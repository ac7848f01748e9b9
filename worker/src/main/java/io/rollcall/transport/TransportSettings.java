package io.rollcall.transport;

import io.rollcall.messaging.Topics;
import java.time.ZoneId;

/**
 * How the worker's Kafka side runs.
 *
 * @param workerId   names this worker in replies and recognition-log events
 * @param consumers  requests handled at once: listener threads of the request topic ({@link #listenersFor})
 * @param schoolZone the clock of the school database's DATETIME columns, for recognition-log rows and the times in
 *                   replies
 */
public record TransportSettings(String workerId, int consumers, ZoneId schoolZone) {

    /**
     * Request listeners for an engine that runs {@code concurrentInferences} inferences at once: two per inference,
     * at most one per request partition. A listener spends part of every request away from the engine (decoding the
     * photo, fetching the next request, waiting for Kafka to acknowledge the reply), and with one listener per
     * inference the engine sat idle meanwhile; the second keeps it busy, while the engine's own limit still keeps
     * the inferences at once to {@code concurrentInferences}, as the bare engine runs them for ten callers.
     */
    public static int listenersFor(int concurrentInferences) {
        return Math.min(Topics.FACE_REQUESTS_PARTITIONS, 2 * Math.max(1, concurrentInferences));
    }
}

package io.rollcall.transport;

import java.time.ZoneId;

/**
 * How the worker's Kafka side runs.
 *
 * @param workerId   names this worker in replies and recognition-log events
 * @param consumers  requests handled at once: one listener thread per inference the engine may run at once
 * @param schoolZone the clock of the school database's DATETIME columns, for recognition-log rows and the times in
 *                   replies
 */
public record TransportSettings(String workerId, int consumers, ZoneId schoolZone) {
}

/**
 * Kafka plumbing shared by the ingress and the workers: {@link io.rollcall.messaging.Topics} (the only place that
 * knows topic names), {@link io.rollcall.messaging.MessageKeys}, and the Avro single-object serde
 * ({@link io.rollcall.messaging.AvroSerde}) for the generated message classes of {@code io.rollcall.schemas}.
 * Plain kafka-clients and Avro; no Spring.
 */
package io.rollcall.messaging;

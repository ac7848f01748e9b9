/**
 * The in-process single-node Kafka broker of the one-process start ({@link io.rollcall.broker.LocalKafkaBroker}).
 * Topic creation and client settings live with the message contracts ({@code io.rollcall.messaging.KafkaTopics},
 * {@code KafkaClients}). Plain Java. docs/kafka.md has the settings, numbers and failure modes.
 */
package io.rollcall.broker;

/**
 * Kafka for the service: the in-process single-node broker of the one-process start ({@link
 * io.rollcall.broker.LocalKafkaBroker}), topic creation ({@link io.rollcall.broker.KafkaTopics}) and the client
 * settings every producer and consumer starts from ({@link io.rollcall.broker.KafkaClientProperties}). Plain Java:
 * Spring's Kafka factories take the maps as they are. docs/kafka.md has the settings, numbers and failure modes.
 */
package io.rollcall.broker;

package io.rollcall.broker;

import io.rollcall.messaging.KafkaClients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients built from {@link KafkaClients}, as the ingress and workers will build theirs. */
final class KafkaTestClients {

    private KafkaTestClients() {
    }

    static KafkaProducer<String, byte[]> producer(KafkaClients props) {
        return new KafkaProducer<>(props.producer(), new StringSerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<String, byte[]> consumer(KafkaClients props, String groupId) {
        Map<String, Object> config = props.consumer(groupId);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls until {@code count} records arrived or {@code timeout} passed; returns what arrived. */
    static List<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> consumer, int count, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }
}

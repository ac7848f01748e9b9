package io.rollcall.broker;

import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;
import java.util.Map;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Start, restart and request-reply timings of the in-process broker; a main program, not a test, because timings on
 * a shared machine vary too much to assert. The round trip is the service's path without Spring: a producer sends a
 * small request, an echo "worker" (consumer group, manual commit) produces the reply, a reply consumer receives it.
 * Run from the repository root, twice with the same directory to see a start on a new and on an existing directory:
 * <pre>
 * ./mvnw -q -pl worker -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd worker &amp;&amp; "$JAVA_HOME"/bin/java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.rollcall.broker.LocalKafkaBrokerBenchmark /tmp/rollcall-kafka-bench 200
 * </pre>
 */
public final class LocalKafkaBrokerBenchmark {
    private static final Topics.TopicSpec REQUESTS = new Topics.TopicSpec("bench.requests", 1, (short) 1, Map.of());
    private static final Topics.TopicSpec REPLIES = new Topics.TopicSpec("bench.replies", 1, (short) 1, Map.of());

    private LocalKafkaBrokerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/kafka-bench");
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        boolean existing = Files.isDirectory(dir.resolve(BrokerDataDir.LOG_DIR));

        long t0 = System.nanoTime();
        LocalKafkaBroker broker = LocalKafkaBroker.start(dir, 0);
        System.out.printf("start on %s directory, fresh JVM:   %6.0f ms%n", existing ? "an existing" : "a new", ms(t0));
        KafkaClients props = new KafkaClients(broker.bootstrapServers());
        t0 = System.nanoTime();
        try (Admin admin = Admin.create(props.admin())) {
            KafkaTopics.createMissing(admin, List.of(REQUESTS, REPLIES), Duration.ofSeconds(30));
        }
        System.out.printf("create topics (if missing):         %6.0f ms%n", ms(t0));

        roundTrips(props, messages);

        t0 = System.nanoTime();
        broker.close();
        System.out.printf("close:                              %6.0f ms%n", ms(t0));
        t0 = System.nanoTime();
        broker = LocalKafkaBroker.start(dir, 0);
        System.out.printf("restart, same JVM:                  %6.0f ms%n", ms(t0));
        t0 = System.nanoTime();
        broker.close();
        System.out.printf("close:                              %6.0f ms%n", ms(t0));
    }

    private static void roundTrips(KafkaClients props, int messages) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread worker = Thread.ofPlatform().name("echo-worker").start(() -> echo(props, running));
        TopicPartition replies = new TopicPartition(REPLIES.name(), 0);
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(props);
             KafkaConsumer<String, byte[]> replyConsumer = KafkaTestClients.consumer(props, "bench-ingress")) {
            replyConsumer.assign(List.of(replies));
            replyConsumer.seekToEnd(List.of(replies));
            replyConsumer.position(replies);
            byte[] payload = "{\"person_code\":\"S-0001\",\"image\":\"...\"}".getBytes(StandardCharsets.UTF_8);
            int warmup = Math.max(20, messages / 4);
            double[] rtt = new double[messages];
            double[] ack = new double[messages];
            for (int i = -warmup; i < messages; i++) {
                String id = "r" + i;
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(REQUESTS.name(), id, payload)).get(10, TimeUnit.SECONDS);
                double acked = ms(start);
                awaitReply(replyConsumer, id);
                if (i >= 0) {
                    rtt[i] = ms(start);
                    ack[i] = acked;
                }
            }
            System.out.printf("produce ack (acks=all), %d msgs:    p50 %.2f  p99 %.2f ms%n", messages, pct(ack, 50), pct(ack, 99));
            System.out.printf("request -> worker -> reply, %d msgs: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms (sequential)%n",
                    messages, pct(rtt, 50), pct(rtt, 90), pct(rtt, 99), pct(rtt, 100));
        } finally {
            running.set(false);
            worker.join();
        }
    }

    private static void awaitReply(KafkaConsumer<String, byte[]> consumer, String id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.key().equals(id)) {
                    return;
                }
            }
        }
        throw new IllegalStateException("no reply to " + id);
    }

    private static void echo(KafkaClients props, AtomicBoolean running) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(props, "bench-workers");
             KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(props)) {
            consumer.subscribe(List.of(REQUESTS.name()));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>(REPLIES.name(), record.key(), record.value()));
                    consumer.commitAsync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)), null);
                }
            }
        }
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static double pct(double[] values, int percentile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}

package io.rollcall.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.testing.DevData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A door photo sent to the request topic is gone from Kafka after its bound: no consumer reading from the earliest
 * offset finds it, and its bytes are in no file of the broker's data directory. The bounds are the production
 * mechanism (the topic's own {@code retention.ms} and {@code segment.ms} from {@link Topics.Retention}, the broker's
 * retention check) shrunk from an hour to seconds.
 */
class PhotoRetentionTest {
    private static final Duration RETENTION = Duration.ofSeconds(2);
    private static final Duration SEGMENT = Duration.ofSeconds(1);
    private static final Duration CHECK = Duration.ofMillis(500);
    /** segment + retention + one check, plus one check for the file to leave the disk and room for a busy machine. */
    private static final Duration BOUND = SEGMENT.plus(RETENTION).plus(CHECK.multipliedBy(2)).plusSeconds(10);

    @TempDir
    Path dir;

    @Test
    void a_door_photo_is_gone_from_the_log_and_the_disk_after_its_bound() throws Exception {
        byte[] photo = DevData.bytes("kofi_annan/01.jpg");
        Topics topics = new Topics("expiring", Topics.Replication.SINGLE_BROKER,
                new Topics.Retention(RETENTION, Duration.ofDays(1), Duration.ofDays(1), SEGMENT));
        try (LocalKafkaBroker broker = LocalKafkaBroker.startCheckingRetentionEvery(dir, CHECK)) {
            KafkaClients clients = new KafkaClients(broker.bootstrapServers());
            try (Admin admin = Admin.create(clients.admin())) {
                KafkaTopics.createMissing(admin, topics.specs().stream()
                        .filter(spec -> spec.name().equals(topics.faceRequests())).toList(), Duration.ofSeconds(30));
            }
            FaceRequest request = FaceRequest.newBuilder().setRequestId("req-door-1").setReceivedAt(Instant.now())
                    .setClient("door-camera").setCommand(RecognizeCommand.newBuilder().setImage(ByteBuffer.wrap(photo)).build())
                    .build();
            byte[] message = new AvroSerializer<>(FaceRequest.class).serialize(topics.faceRequests(), request);
            TopicPartition partition = new TopicPartition(topics.faceRequests(), 0);
            try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(clients)) {
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "req-door-1", message)).get();
            }
            long sent = System.nanoTime();
            try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(clients, "retention-check")) {
                consumer.assign(List.of(partition));

                assertThat(fromEarliest(consumer, partition)).singleElement()
                        .satisfies(record -> assertThat(record.value()).isEqualTo(message));
                assertThat(filesHolding(broker.dataDir(), photo)).isNotEmpty();

                List<ConsumerRecord<String, byte[]>> left = fromEarliest(consumer, partition);
                List<Path> files = filesHolding(broker.dataDir(), photo);
                while ((!left.isEmpty() || !files.isEmpty()) && System.nanoTime() - sent < BOUND.toNanos()) {
                    Thread.sleep(CHECK.toMillis());
                    left = fromEarliest(consumer, partition);
                    files = filesHolding(broker.dataDir(), photo);
                }
                Duration gone = Duration.ofNanos(System.nanoTime() - sent);

                assertThat(left).as("records left after %s", gone).isEmpty();
                assertThat(files).as("files holding the photo after %s", gone).isEmpty();
                assertThat(consumer.beginningOffsets(List.of(partition))).containsEntry(partition, 1L);
                System.out.printf("Photo of %,d bytes gone from the log and the disk %d ms after it was sent "
                        + "(retention %d ms, segment %d ms, check %d ms)%n", photo.length, gone.toMillis(),
                        RETENTION.toMillis(), SEGMENT.toMillis(), CHECK.toMillis());
            }
        }
    }

    /** Every record from the earliest offset still in the log, as a consumer that starts over would see them. */
    private static List<ConsumerRecord<String, byte[]>> fromEarliest(KafkaConsumer<String, byte[]> consumer,
                                                                     TopicPartition partition) {
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (consumer.position(partition) < end && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    /**
     * Log files under the broker's directory ({@code .log}, and {@code .log.deleted} while Kafka waits to remove one)
     * holding the photo's first 4 KiB; the indexes hold offsets and times only.
     */
    private static List<Path> filesHolding(Path root, byte[] photo) throws IOException {
        byte[] needle = Arrays.copyOf(photo, Math.min(photo.length, 4096));
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.getFileName().toString().contains(".log") && Files.isRegularFile(file))
                    .filter(file -> contains(read(file), needle)).toList();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return new byte[0]; // deleted while we walked
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

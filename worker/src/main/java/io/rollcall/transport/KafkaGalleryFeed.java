package io.rollcall.transport;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.gallery.GalleryFeed;
import io.rollcall.gallery.PackEvent;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.MessageKeys;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.PackChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The {@link GalleryFeed} on Kafka: the single-partition gallery-changes topic, whose offsets are the gallery's
 * versions. A change is sent synchronously (acknowledged by all in-sync replicas) before the enrollment that made
 * it is answered, so its offset is a version read-your-writes can wait for.
 */
public final class KafkaGalleryFeed implements GalleryFeed {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final String topic;
    private final TopicPartition partition;
    private final KafkaProducer<String, GalleryChange> producer;
    private final KafkaProducer<String, PackChange> packProducer;
    private final KafkaConsumer<String, SpecificRecord> consumer;
    private final Admin admin;
    private volatile Thread thread;
    private volatile boolean running = true;
    /** Always 0 outside tests: see {@link #lagBehind}. */
    private volatile long lagMillis;

    public KafkaGalleryFeed(KafkaClients kafka, Topics topics) {
        this.topic = topics.galleryChanges();
        this.partition = new TopicPartition(topic, 0);
        this.producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(GalleryChange.class));
        this.packProducer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new AvroSerializer<>(PackChange.class));
        // Every worker reads the whole topic itself: no group, no committed offsets.
        Map<String, Object> config = kafka.consumer();
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new GalleryTopicDeserializer());
        this.admin = Admin.create(kafka.admin());
        consumer.assign(List.of(partition));
    }

    @Override
    public long end() {
        return consumer.endOffsets(List.of(partition)).get(partition);
    }

    @Override
    public void follow(long position, Listener listener) {
        consumer.seek(partition, position);
        thread = Thread.ofPlatform().name("gallery-sync").daemon().start(() -> run(listener));
    }

    private void run(Listener listener) {
        try {
            while (running) {
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    holdBack(record.timestamp());
                    switch (record.value()) {
                        case GalleryChange change -> listener.applied(AvroMapping.event(change), record.offset());
                        case PackChange change -> listener.packChanged(AvroMapping.event(change), record.offset());
                        default -> throw new IllegalStateException("unexpected record on the gallery topic");
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException | Error e) {
            listener.stopped(e instanceof RuntimeException r ? r : new IllegalStateException(e));
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Test seam: from now on, applies each change read from the topic no sooner than {@code lag} after it was
     * published, as a busy or briefly cut-off worker would. Changes otherwise arrive within milliseconds, so without
     * a lag a test cannot tell a recognition that waits for the gallery from one that merely comes late enough. 0
     * unless a test sets it. A worker's own enrollments and deletions are still applied at once by the request
     * that made them; only their copy from the topic is held back.
     */
    public void lagBehind(Duration lag) {
        lagMillis = lag.toMillis();
    }

    private void holdBack(long publishedAtMillis) {
        long wait = lagMillis == 0 ? 0 : publishedAtMillis + lagMillis - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public long publish(GalleryEvent event) {
        GalleryChange change = AvroMapping.change(event);
        try {
            return producer.send(new ProducerRecord<>(topic, 0, MessageKeys.galleryChange(change), change))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long publish(PackEvent event) {
        PackChange change = AvroMapping.change(event);
        try {
            return packProducer.send(new ProducerRecord<>(topic, 0, "pack:" + change.getModelPack(), change))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public CompletableFuture<Long> endLater() {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                .toCompletionStage().toCompletableFuture().thenApply(info -> info.offset());
    }

    private static RollcallException unavailable(Throwable e) {
        return new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "could not publish the gallery change to Kafka", Map.of(), e);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ofSeconds(2));
        }
        producer.close(Duration.ofSeconds(5));
        packProducer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(2));
    }
}

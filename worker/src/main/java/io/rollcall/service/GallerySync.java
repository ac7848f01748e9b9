package io.rollcall.service;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GallerySample;
import io.rollcall.messaging.AvroDeserializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.person.PersonRef;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.storage.GalleryLoadSummary;
import io.rollcall.storage.GalleryRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker's {@link Gallery} equal to the database across all workers.
 *
 * <p>At start: note the end of the (single-partition) gallery-changes topic, load every current-pack embedding
 * from the database, then apply every change from the noted offset on. A change is published only after its
 * database commit, so anything committed before the load is in it, and anything published after the noted offset
 * is replayed; replaying a change already in the load is harmless (add replaces, remove of the absent is a no-op).
 *
 * <p>Read-your-writes: an enroll or delete replies only after its change is in the topic. {@link #startCatchUp} reads
 * the topic's current end and waits until this worker has applied everything before it, so a recognition that
 * starts after any enroll or delete returned, on any worker, sees it.
 */
public final class GallerySync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GallerySync.class);

    private final Gallery gallery;
    private final Topics topics;
    private final TopicPartition partition;
    private final KafkaConsumer<String, GalleryChange> consumer;
    private final Admin admin;
    private final Thread thread;
    private final Object applied = new Object();
    private volatile long nextOffset = -1;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    /** Always 0 outside tests: see {@link #lagBehind}. */
    private volatile long lagMillis;

    public GallerySync(Gallery gallery, GalleryRepository repository, KafkaClients kafka, Topics topics) {
        this.gallery = gallery;
        this.topics = topics;
        this.partition = new TopicPartition(topics.galleryChanges(), 0);
        Map<String, Object> config = kafka.consumer("unused");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new AvroDeserializer<>(GalleryChange.class));
        this.admin = Admin.create(kafka.admin());
        consumer.assign(List.of(partition));
        long start = consumer.endOffsets(List.of(partition)).get(partition);
        load(repository);
        consumer.seek(partition, start);
        nextOffset = start;
        this.thread = Thread.ofPlatform().name("gallery-sync").daemon().start(this::run);
    }

    private void load(GalleryRepository repository) {
        List<GallerySample> samples = new ArrayList<>();
        Map<PersonRef, String> names = new HashMap<>();
        GalleryLoadSummary summary = repository.load(gallery.modelPack(), gallery.dimension(), stored -> {
            samples.add(new GallerySample(stored.faceDataId(), stored.person(), stored.embedding()));
            if (stored.personName() != null) {
                names.put(stored.person(), stored.personName());
            }
        });
        gallery.putAll(samples, names);
        log.info("Gallery loaded from the database: {} samples of pack {} ({} legacy, {} of other packs, {} unusable, skipped)",
                summary.loaded(), gallery.modelPack(), summary.legacy(), summary.otherModel(), summary.unusable());
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, GalleryChange> record : consumer.poll(Duration.ofMillis(200))) {
                    holdBack(record.timestamp());
                    apply(record.value());
                    synchronized (applied) {
                        nextOffset = record.offset() + 1;
                        applied.notifyAll();
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            failure = e;
            log.error("Gallery sync stopped; recognitions will fail until the worker restarts", e);
            synchronized (applied) {
                applied.notifyAll();
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Test seam: from now on, applies each change read from the topic no sooner than {@code lag} after it was
     * published, as a busy or briefly cut-off worker would. Changes otherwise arrive within milliseconds, so without
     * a lag a test cannot tell a recognition that waits for the gallery ({@link #startCatchUp}) from one that merely
     * comes late enough. Package-private and 0 unless a test sets it. A worker's own enrollments and deletions are
     * still applied at once by the request that made them; only their copy from the topic is held back.
     */
    void lagBehind(Duration lag) {
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

    /** Applies one change to the in-memory gallery; also called directly by the worker that made the change. */
    public void apply(GalleryChange change) {
        if (!change.getModelPack().equals(gallery.modelPack())) {
            return;
        }
        PersonRef person = Messages.person(change.getPersonType(), change.getPersonCode());
        switch (change.getKind()) {
            case ADDED -> gallery.put(change.getFaceDataId(), person, change.getPersonName(), Messages.floats(change.getEmbedding()));
            case REMOVED_SAMPLE -> gallery.removeSample(change.getFaceDataId());
            case REMOVED_PERSON -> gallery.removePerson(person);
        }
    }

    /**
     * Waits until every change published before this call is applied here.
     *
     * @throws RollcallException {@code SERVICE_UNAVAILABLE} when the broker cannot be asked, {@code REQUEST_TIMEOUT}
     *                           when catching up takes longer than {@code timeout}
     */
    /**
     * Asks the broker for the topic's end now and returns the wait for it, so that the round trip overlaps other
     * work (decoding and analysing the photo) and only the gallery search waits.
     */
    public Runnable startCatchUp(Duration timeout) {
        var end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition);
        return () -> awaitEnd(end, timeout);
    }

    private void awaitEnd(org.apache.kafka.common.KafkaFuture<org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo> future,
                          Duration timeout) {
        long end;
        try {
            end = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "interrupted while reading the gallery version");
        } catch (ExecutionException | TimeoutException e) {
            throw new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "cannot read the gallery version from Kafka", Map.of(), e);
        }
        awaitApplied(end, timeout);
    }

    /** Waits until the change at {@code offset - 1} and everything before it is applied. */
    public void awaitApplied(long offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (applied) {
            while (nextOffset < offset) {
                if (failure != null) {
                    throw new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "gallery sync has stopped: " + failure.getMessage());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "the gallery did not catch up with recent enrollments in time");
                }
                try {
                    applied.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "interrupted while the gallery caught up");
                }
            }
        }
    }

    /** Offset of the last change applied, the gallery's version; -1 before any. */
    public long version() {
        return nextOffset - 1;
    }

    public String topic() {
        return topics.galleryChanges();
    }

    public boolean healthy() {
        return failure == null && thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}

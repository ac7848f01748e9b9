package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.inference.ActivePack;
import io.rollcall.inference.PackRuntime;
import io.rollcall.broker.LocalKafkaBroker;
import io.rollcall.enroll.EnrolledFaces;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.gallery.GalleryReconciler;
import io.rollcall.gallery.GallerySync;
import io.rollcall.messaging.AvroDeserializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;
import io.rollcall.person.PersonRef;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.GalleryChangeKind;
import io.rollcall.storage.DescriptorCodec;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.NewFaceSample;
import io.rollcall.storage.PersonRepository;
import io.rollcall.testing.TestDatabase;
import io.rollcall.transport.KafkaGalleryFeed;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gallery changes carry sample ids, never embeddings or names, and two workers still converge: each reads an
 * announced sample from the database they share. On a real in-process broker and a real database; the two workers
 * are two {@link GallerySync}s with their own {@link KafkaGalleryFeed}, as in two processes.
 */
class GalleryChangesByIdTest {
    private static final String PACK = "dev";
    private static final int DIM = 512;
    private static final PersonRef ZOE = PersonRef.student("S001");
    private static final String ZOE_NAME = "Zoë Ndlovu";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicInteger installations = new AtomicInteger();

    @TempDir
    static Path dir;
    private static LocalKafkaBroker broker;
    private static KafkaClients clients;

    private TestDatabase db;
    private FaceRepository faces;
    private Topics topics;
    private KafkaGalleryFeed feedA;
    private KafkaGalleryFeed feedB;
    private GallerySync workerA;
    private GallerySync workerB;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.start(dir.resolve("kafka"), 0);
        clients = new KafkaClients(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void twoWorkersOnOneDatabase() {
        db = TestDatabase.migrated(TestDatabase.Kind.H2);
        faces = new FaceRepository(db.access());
        new PersonRepository(db.access()).createIfMissing(ZOE, ZOE_NAME);
        topics = new Topics("ids" + installations.incrementAndGet(), Topics.Replication.SINGLE_BROKER);
        try (Admin admin = Admin.create(clients.admin())) {
            KafkaTopics.createMissing(admin, topics.specs().stream()
                    .filter(spec -> spec.name().equals(topics.galleryChanges())).toList(), WAIT);
        }
        feedA = new KafkaGalleryFeed(clients, topics);
        workerA = new GallerySync(new Gallery(PACK, DIM), new GalleryRepository(db.access()), feedA);
        feedB = new KafkaGalleryFeed(clients, topics);
        workerB = new GallerySync(new Gallery(PACK, DIM), new GalleryRepository(db.access()), feedB);
    }

    @AfterEach
    void stopWorkers() {
        workerA.close();
        workerB.close();
        db.close();
    }

    @Test
    void an_enrollment_and_its_deletion_reach_the_other_worker_while_the_topic_holds_neither_embedding_nor_name() {
        float[] embedding = unitVector(1);
        long sample = faces.insert(sample(ZOE, PACK, embedding));

        long added = workerA.announce(new GalleryEvent.SampleAdded(sample, ZOE, ZOE_NAME, PACK, embedding, "req-enroll"));
        workerB.awaitApplied(added + 1, WAIT);

        assertThat(workerB.gallery().samplesWhere(id -> true)).isEqualTo(Map.of(sample, ZOE));
        assertThat(workerB.gallery().bestOf(ZOE, embedding)).get().extracting(GalleryMatch::similarity)
                .isEqualTo(workerA.gallery().bestOf(ZOE, embedding).orElseThrow().similarity());
        assertThat(workerB.gallery().name(ZOE)).isEqualTo(ZOE_NAME);

        long removed = new EnrolledFaces(faces, new ActivePack(new PackRuntime(null, null, workerA, null))).deleteSample(sample, "req-delete").galleryVersion();
        workerB.awaitApplied(removed + 1, WAIT);

        assertThat(workerA.gallery().size()).isZero();
        assertThat(workerB.gallery().size()).isZero();
        List<byte[]> records = rawGalleryChanges(2);
        assertThat(records).hasSize(2).allSatisfy(bytes -> {
            // An embedding alone is 2 KiB; ids, codes and the pack are well under 150 bytes.
            assertThat(bytes.length).isLessThan(150);
            assertThat(HexFormat.of().formatHex(bytes))
                    .doesNotContain(HexFormat.of().formatHex(ZOE_NAME.getBytes(StandardCharsets.UTF_8)))
                    .doesNotContain(HexFormat.of().formatHex(littleEndian(embedding, 4)));
        });
        AvroDeserializer<GalleryChange> changes = new AvroDeserializer<>(GalleryChange.class);
        assertThat(records.stream().map(bytes -> changes.deserialize(topics.galleryChanges(), bytes)))
                .extracting(GalleryChange::getKind, GalleryChange::getFaceDataId, GalleryChange::getPersonCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(GalleryChangeKind.ADDED, sample, "S001"),
                        org.assertj.core.groups.Tuple.tuple(GalleryChangeKind.REMOVED_SAMPLE, sample, "S001"));
    }

    @Test
    void an_announced_sample_whose_row_is_gone_by_the_time_it_arrives_is_dropped_by_both_workers() {
        float[] embedding = unitVector(2);
        long sample = faces.insert(sample(ZOE, PACK, embedding));
        // Both workers read the change a second after it was published, as busy workers would; without that, worker
        // A could read its own change back before the row is deleted below (then only a reconciliation drops it).
        feedA.lagBehind(Duration.ofSeconds(1));
        feedB.lagBehind(Duration.ofSeconds(1));

        long added = workerA.announce(new GalleryEvent.SampleAdded(sample, ZOE, ZOE_NAME, PACK, embedding, "req-enroll"));
        // Deleted behind the service's back (the old system, a DBA): no event says so.
        assertThat(db.sql().sql("DELETE FROM FaceData WHERE Id = ?").param(sample).update()).isEqualTo(1);
        workerB.awaitApplied(added + 1, WAIT);
        workerA.awaitApplied(added + 1, WAIT);

        // Both read the row when the change came back from the topic: worker A, which had applied its own copy at
        // once, drops the sample too.
        assertThat(workerB.gallery().size()).isZero();
        assertThat(workerA.gallery().size()).isZero();
    }

    @Test
    void a_sample_the_database_could_not_give_when_its_change_arrived_is_added_by_the_next_reconciliation() {
        float[] embedding = unitVector(3);
        // A row of another pack, which worker B has seen and skipped: the database's numbers include it.
        long sample = faces.insert(sample(ZOE, "other", embedding));
        GalleryReconciler reconcilerB = new GalleryReconciler(workerB, Duration.ZERO, Clock.systemUTC());
        assertThat(reconcilerB.reconcileNow().added()).isZero();
        // Re-embedded in place for this pack (ids and persons unchanged, so the numbers stay the same), then the
        // database becomes unreadable just as the change is announced.
        assertThat(db.sql().sql("UPDATE FaceData SET FaceDescriptor = ? WHERE Id = ?")
                .params(DescriptorCodec.encode(new FaceDescriptor(PACK, embedding)), sample).update()).isEqualTo(1);
        db.sql().sql("ALTER TABLE FaceData RENAME TO FaceDataAway").update();
        long added = workerA.announce(new GalleryEvent.SampleAdded(sample, ZOE, ZOE_NAME, PACK, embedding, "req-reembed"));
        workerB.awaitApplied(added + 1, WAIT);
        assertThat(workerB.gallery().size()).isZero();
        db.sql().sql("ALTER TABLE FaceDataAway RENAME TO FaceData").update();

        GalleryReconciler.Outcome outcome = reconcilerB.reconcileNow();

        assertThat(outcome.added()).isEqualTo(1);
        assertThat(workerB.gallery().samplesWhere(id -> true)).isEqualTo(Map.of(sample, ZOE));
        assertThat(workerB.gallery().name(ZOE)).isEqualTo(ZOE_NAME);
        assertThat(workerB.healthy()).isTrue();
    }

    @Test
    void during_a_pack_switch_the_other_workers_candidate_gallery_gets_an_enrollment_from_its_candidate_descriptor() {
        String candidate = "dev_2_5g";
        GallerySync candidateA = new GallerySync(new Gallery(candidate, DIM), new GalleryRepository(db.access()),
                new KafkaGalleryFeed(clients, topics));
        GallerySync candidateB = new GallerySync(new Gallery(candidate, DIM), new GalleryRepository(db.access()),
                new KafkaGalleryFeed(clients, topics));
        try {
            float[] active = unitVector(4);
            float[] inCandidate = unitVector(5);
            long sample = faces.insert(sample(ZOE, PACK, active));
            db.sql().sql("INSERT INTO RollcallPackDescriptors (FaceDataId, ModelPack, Descriptor, RunId) VALUES (?, ?, ?, 'run-1')")
                    .params(sample, candidate, DescriptorCodec.encode(new FaceDescriptor(candidate, inCandidate))).update();

            // As an enrollment during a switch announces it: once per pack, the active pack's first.
            workerA.announce(new GalleryEvent.SampleAdded(sample, ZOE, ZOE_NAME, PACK, active, "req-enroll"));
            long added = candidateA.announce(new GalleryEvent.SampleAdded(sample, ZOE, ZOE_NAME, candidate, inCandidate, "req-enroll"));
            candidateB.awaitApplied(added + 1, WAIT);
            workerB.awaitApplied(added + 1, WAIT);

            // The active pack's change is not the candidate's business (its FaceData row holds another pack), and
            // the candidate's change is read from RollcallPackDescriptors.
            assertThat(candidateB.gallery().samplesWhere(id -> true)).isEqualTo(Map.of(sample, ZOE));
            assertThat(candidateB.gallery().bestOf(ZOE, inCandidate)).get().extracting(GalleryMatch::similarity)
                    .isEqualTo(candidateA.gallery().bestOf(ZOE, inCandidate).orElseThrow().similarity());
            assertThat(workerB.gallery().samplesWhere(id -> true)).isEqualTo(Map.of(sample, ZOE));
            assertThat(workerB.gallery().bestOf(ZOE, active)).get().extracting(GalleryMatch::similarity)
                    .isEqualTo(workerA.gallery().bestOf(ZOE, active).orElseThrow().similarity());
        } finally {
            candidateA.close();
            candidateB.close();
        }
    }

    private List<byte[]> rawGalleryChanges(int count) {
        TopicPartition partition = new TopicPartition(topics.galleryChanges(), 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<byte[]> values = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }

    private static NewFaceSample sample(PersonRef person, String pack, float[] embedding) {
        return new NewFaceSample(person, new byte[] {1, 2, 3}, new FaceDescriptor(pack, embedding), null, null);
    }

    private static float[] unitVector(long seed) {
        Random random = new Random(seed);
        float[] v = new float[DIM];
        double norm = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** The first {@code count} values as Avro writes floats: 4 bytes each, little-endian. */
    private static byte[] littleEndian(float[] values, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            buffer.putFloat(values[i]);
        }
        return buffer.array();
    }
}

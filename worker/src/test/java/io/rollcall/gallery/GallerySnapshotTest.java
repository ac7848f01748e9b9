package io.rollcall.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.person.PersonRef;
import io.rollcall.storage.DescriptorCodec;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.NewFaceSample;
import io.rollcall.storage.PersonRepository;
import io.rollcall.testing.TestDatabase;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A worker restarts from its gallery snapshot only when it agrees with the database, and then equals the database. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class GallerySnapshotTest {
    private static final int DIM = 512;
    private static final PersonRef ANN = PersonRef.student("S001");
    private static final PersonRef BEN = PersonRef.student("S002");
    private static final PersonRef TESS = PersonRef.teacher("T01");

    @Parameter
    TestDatabase.Kind kind;

    @TempDir
    Path dir;

    private TestDatabase db;
    private FaceRepository faces;
    private GalleryRepository repository;
    private final Random random = new Random(3);

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.migrated(kind);
        faces = new FaceRepository(db.access());
        repository = new GalleryRepository(db.access());
        PersonRepository persons = new PersonRepository(db.access());
        persons.createIfMissing(ANN, "Ann Lee");
        persons.createIfMissing(BEN, "Ben Okafor");
        persons.createIfMissing(TESS, "Tess Ward");
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void restartsFromTheSnapshotAndTakesUpWhatChangedWhileItWasDown() {
        float[] ann = TestVectors.gaussian(random, DIM);
        long annId = insert(ANN, ann);
        long benId = insert(BEN, TestVectors.gaussian(random, DIM));
        insert(TESS, TestVectors.gaussian(random, DIM));
        GallerySnapshot snapshot = new GallerySnapshot(dir, "dev");
        try (GallerySync first = new GallerySync(gallery(), repository, new LocalGalleryFeed(), snapshot)) {
            assertThat(first.restoredFromSnapshot()).isFalse();
            assertThat(Files.exists(snapshot.file())).as("written after the full load").isTrue();
        }

        // While the worker is down: a new sample, a deleted one, a renamed person.
        float[] ben2 = TestVectors.gaussian(random, DIM);
        long ben2Id = insert(BEN, ben2);
        db.sql().sql("DELETE FROM FaceData WHERE Id = ?").param(benId).update();
        db.sql().sql("UPDATE Student SET StudentName = 'Ann Lee-Ray' WHERE StudentCode = 'S001'").update();

        Gallery gallery = gallery();
        try (GallerySync second = new GallerySync(gallery, repository, new LocalGalleryFeed(), snapshot);
             GalleryReconciler ignored = new GalleryReconciler(second, Duration.ZERO, Clock.systemUTC())) {
            assertThat(second.restoredFromSnapshot()).isTrue();
            assertThat(gallery.size()).isEqualTo(3);
            assertThat(gallery.samplesWhere(id -> true)).containsOnlyKeys(annId, ben2Id, annId + 2);
            assertThat(gallery.name(ANN)).isEqualTo("Ann Lee-Ray");
            assertThat(gallery.name(TESS)).isEqualTo("Tess Ward");
            assertThat(gallery.nearest(ann, 1).getFirst().sampleId()).isEqualTo(annId);
            assertThat(gallery.nearest(ben2, 1).getFirst()).satisfies(hit -> {
                assertThat(hit.sampleId()).isEqualTo(ben2Id);
                assertThat(hit.person()).isEqualTo(BEN);
            });
        }
    }

    @Test
    void changesTakenUpAtAStartAreKeptInTheSnapshotEvenWhenTheWorkerThenDies() throws Exception {
        insert(ANN, TestVectors.gaussian(random, DIM));
        GallerySnapshot snapshot = new GallerySnapshot(dir, "dev");
        new GallerySync(gallery(), repository, new LocalGalleryFeed(), snapshot).close();
        long written = Files.getLastModifiedTime(snapshot.file()).toMillis();
        // Behind the worker's back, as another program or a bulk load writes: two more samples.
        long benId = insert(BEN, TestVectors.gaussian(random, DIM));
        long tessId = insert(TESS, TestVectors.gaussian(random, DIM));

        // Started, caught up, then gone without a clean stop (never closed): the snapshot must already hold the rows.
        GallerySync crashed = new GallerySync(gallery(), repository, new LocalGalleryFeed(), snapshot);
        GalleryReconciler first = new GalleryReconciler(crashed, Duration.ZERO, Clock.systemUTC());
        assertThat(first.last().orElseThrow().added()).isEqualTo(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.getLastModifiedTime(snapshot.file()).toMillis() == written && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        Gallery gallery = gallery();
        try (GallerySync next = new GallerySync(gallery, repository, new LocalGalleryFeed(), snapshot);
             GalleryReconciler again = new GalleryReconciler(next, Duration.ZERO, Clock.systemUTC())) {
            assertThat(next.restoredFromSnapshot()).isTrue();
            assertThat(gallery.samplesWhere(id -> true)).containsKeys(benId, tessId).hasSize(3);
            GalleryReconciler.Outcome caughtUp = again.last().orElseThrow();
            assertThat(caughtUp.added() + caughtUp.removed() + caughtUp.reassigned()).isZero();
        } finally {
            first.close();
            crashed.close();
        }
    }

    @Test
    void aSnapshotWhoseVectorsTheDatabaseNoLongerHoldsIsNotUsed() {
        long annId = insert(ANN, TestVectors.gaussian(random, DIM));
        GallerySnapshot snapshot = new GallerySnapshot(dir, "dev");
        new GallerySync(gallery(), repository, new LocalGalleryFeed(), snapshot).close();

        // Re-embedded in place: same id and person, another vector (what a pack switch does to every row).
        float[] now = TestVectors.gaussian(random, DIM);
        db.sql().sql("UPDATE FaceData SET FaceDescriptor = ? WHERE Id = ?")
                .params(DescriptorCodec.encode(new FaceDescriptor("dev", now)), annId).update();

        Gallery gallery = gallery();
        try (GallerySync sync = new GallerySync(gallery, repository, new LocalGalleryFeed(), snapshot)) {
            assertThat(sync.restoredFromSnapshot()).isFalse();
            // The new vector, not the snapshot's: similarity 1 with itself, up to float rounding.
            assertThat(gallery.nearest(now, 1).getFirst().similarity()).isCloseTo(1f, org.assertj.core.api.Assertions.offset(1e-6f));
        }
    }

    @Test
    void aDamagedSnapshotIsNotUsed() throws IOException {
        insert(ANN, TestVectors.gaussian(random, DIM));
        GallerySnapshot snapshot = new GallerySnapshot(dir, "dev");
        new GallerySync(gallery(), repository, new LocalGalleryFeed(), snapshot).close();
        try (RandomAccessFile file = new RandomAccessFile(snapshot.file().toFile(), "rw")) {
            file.seek(80); // inside the row table or codes, covered by the checksum
            int b = file.read();
            file.seek(80);
            file.write(b ^ 0x10);
        }

        Gallery gallery = gallery();
        try (GallerySync sync = new GallerySync(gallery, repository, new LocalGalleryFeed(), snapshot)) {
            assertThat(sync.restoredFromSnapshot()).isFalse();
            assertThat(gallery.size()).isEqualTo(1);
        }
    }

    @Test
    void aGalleryThatCannotFitIsRefusedWithTheHeapItNeeds() {
        long rows = 1_000_000;
        long needed = GalleryCapacity.bytesFor(rows, DIM);
        assertThat(needed >> 20).as("MiB for a million 512-d rows").isBetween(600L, 800L);
        assertThatThrownBy(() -> GalleryCapacity.require("dev", rows, DIM, 300L << 20))
                .isInstanceOf(GalleryCapacity.GalleryTooLargeException.class)
                .hasMessageContaining("holds 1,000,000 samples and needs about " + String.format("%,d", needed >> 20) + " MiB of heap")
                .hasMessageContaining("only 300 MiB")
                .hasMessageContaining("-Xmx");
        GalleryCapacity.require("dev", rows, DIM, needed); // fits exactly: no refusal
    }

    private Gallery gallery() {
        return new Gallery("dev", DIM, dir);
    }

    private long insert(PersonRef person, float[] embedding) {
        return faces.insert(new NewFaceSample(person, new byte[] {1}, new FaceDescriptor("dev", embedding), null, "image/jpeg"));
    }
}

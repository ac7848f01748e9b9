package io.rollcall.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.gallery.PackEvent;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.PackRuntime;
import io.rollcall.gallery.GalleryFeed;
import io.rollcall.gallery.GallerySync;
import io.rollcall.person.PersonRef;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.FaceListing;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.FaceSummary;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.NewFaceSample;
import io.rollcall.storage.Paging;
import io.rollcall.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deleting by person, by one of a person's samples, and one sample: the database first, then the gallery event. */
class EnrolledFacesTest {
    private static final String PACK = "buffalo_l";
    private static final int DIM = 4;
    private static final PersonRef ANN = PersonRef.student("S001");
    private static final PersonRef TESS = PersonRef.teacher("T01");

    private TestDatabase db;
    private FaceRepository faces;
    private final RecordingFeed feed = new RecordingFeed();
    private GallerySync sync;
    private EnrolledFaces enrolled;
    private long ann1;
    private long ann2;
    private long ann3;
    private long tess1;

    @BeforeEach
    void enrollAnnThreeTimesAndTessOnce() {
        db = TestDatabase.migrated(TestDatabase.Kind.H2);
        faces = new FaceRepository(db.access());
        ann1 = faces.insert(sample(ANN, 0));
        tess1 = faces.insert(sample(TESS, 1));
        ann2 = faces.insert(sample(ANN, 2));
        ann3 = faces.insert(sample(ANN, 3));
        sync = new GallerySync(new Gallery(PACK, DIM), new GalleryRepository(db.access()), feed);
        // Deleting needs the active pack's gallery only: no engine, no reconciliation.
        enrolled = new EnrolledFaces(faces, new ActivePack(new PackRuntime(null, null, sync, null)));
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void deletesThePersonAnyOfTheirSamplesBelongsToAsDeletingThePersonDoes() {
        EnrolledFaces.Deletion deletion = enrolled.deletePersonOfSample(ann2, "req-1");

        assertThat(deletion.person()).isEqualTo(ANN);
        assertThat(deletion.deletedSamples()).isEqualTo(3);
        assertThat(deletion.galleryVersion()).isZero();
        assertThat(feed.published).containsExactly(new GalleryEvent.PersonRemoved(ANN, PACK, "req-1"));
        assertThat(faces.countSamples(ANN)).isZero();
        assertThat(faces.countSamples(TESS)).isEqualTo(1);
        assertThat(sync.gallery().size()).isEqualTo(1);
    }

    @Test
    void anUnknownSampleIdNamesNoPersonToDelete() {
        assertThatThrownBy(() -> enrolled.deletePersonOfSample(ann3 + 1000, "req-2"))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERSON_NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("No face sample with id " + (ann3 + 1000));
                    assertThat(e.details()).isEqualTo(Map.of("id", ann3 + 1000));
                });
        assertThat(feed.published).isEmpty();
        assertThat(faces.countSamples(ANN)).isEqualTo(3);
    }

    @Test
    void deletesOneSampleAndThePersonKeepsTheOthers() {
        EnrolledFaces.Deletion deletion = enrolled.deleteSample(ann1, "req-3");

        assertThat(deletion.person()).isEqualTo(ANN);
        assertThat(deletion.deletedSamples()).isEqualTo(1);
        assertThat(feed.published).containsExactly(new GalleryEvent.SampleRemoved(ann1, ANN, PACK, "req-3"));
        assertThat(enrolled.list(Optional.empty(), FaceListing.PER_PERSON, Paging.ALL).faces())
                .extracting(FaceSummary::sampleId, FaceSummary::samples)
                .containsExactly(tuple(tess1, 1), tuple(ann2, 2));
        assertThat(sync.gallery().size()).isEqualTo(3);
    }

    private static NewFaceSample sample(PersonRef person, int axis) {
        float[] unit = new float[DIM];
        unit[axis] = 1;
        return new NewFaceSample(person, new byte[] {(byte) axis}, new FaceDescriptor(PACK, unit), null, null);
    }

    /** The feed as one worker sees it when alone: every event it publishes, in order, and no others. */
    private static final class RecordingFeed implements GalleryFeed {
        final List<GalleryEvent> published = new ArrayList<>();

        @Override
        public long end() {
            return published.size();
        }

        @Override
        public void follow(long position, Listener listener) {
        }

        @Override
        public long publish(GalleryEvent event) {
            published.add(event);
            return published.size() - 1;
        }

        @Override
        public long publish(PackEvent event) {
            throw new UnsupportedOperationException("no pack changes here");
        }

        @Override
        public CompletableFuture<Long> endLater() {
            return CompletableFuture.completedFuture(end());
        }

        @Override
        public void close() {
        }
    }
}

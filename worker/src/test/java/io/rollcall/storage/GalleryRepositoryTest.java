package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rollcall.person.PersonRef;
import io.rollcall.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class GalleryRepositoryTest {

    private static final PersonRef ANN = PersonRef.student("S001");
    private static final PersonRef TESS = PersonRef.teacher("T01");

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;
    private FaceRepository faces;
    private GalleryRepository gallery;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.migrated(kind);
        faces = new FaceRepository(db.access());
        gallery = new GalleryRepository(db.access());
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null when the database was not available and the test was skipped
            db.close();
        }
    }

    @Test
    void theDatabasesPrintChangesInExactlyTheBucketAnotherProgramChanged() {
        new PersonRepository(db.access()).createIfMissing(ANN, "Ann Lee");
        long first = faces.insert(sample(ANN, TestEmbeddings.buffaloL(1)));
        faces.insert(sample(TESS, TestEmbeddings.buffaloL(2)));
        DatabasePrint before = gallery.print();
        assertThat(gallery.print()).as("the same rows give the same print").isEqualTo(before);
        assertThat(before.buckets()).containsOnlyKeys(first / DatabasePrint.BUCKET_IDS);

        db.sql().sql("UPDATE FaceData SET PersonCode = 'S002' WHERE Id = ?").param(first).update();
        DatabasePrint moved = gallery.print();
        assertThat(moved.buckets().get(first / DatabasePrint.BUCKET_IDS)).as("a row moved to another person")
                .isNotEqualTo(before.buckets().get(first / DatabasePrint.BUCKET_IDS));
        assertThat(moved.buckets().get(first / DatabasePrint.BUCKET_IDS).rows()).isEqualTo(2);
        assertThat(moved.people()).isEqualTo(before.people());

        db.sql().sql("INSERT INTO FaceData (Id, PersonType, PersonCode, FaceDescriptor) VALUES (?, 'student', 'S009', '[0.5]')")
                .param(3 * DatabasePrint.BUCKET_IDS + 7L).update();
        db.sql().sql("DELETE FROM FaceData WHERE Id = ?").param(first).update();
        DatabasePrint changed = gallery.print();
        assertThat(changed.buckets()).containsOnlyKeys(first / DatabasePrint.BUCKET_IDS, 3L);
        assertThat(changed.buckets().get(3L)).isEqualTo(new DatabasePrint.Numbers(1, 3 * DatabasePrint.BUCKET_IDS + 7L,
                changed.buckets().get(3L).hashSum()));

        db.sql().sql("UPDATE Student SET StudentName = 'Ann Lee-Ray' WHERE StudentCode = 'S001'").update();
        assertThat(gallery.print().people()).as("a renamed person").isNotEqualTo(changed.people());
        assertThat(gallery.print().buckets()).isEqualTo(changed.buckets());
    }

    @Test
    void readsTheRowsOfARangeWithTheirPersonsAndLoadsOnlyTheWantedOnes() {
        long ann = faces.insert(sample(ANN, TestEmbeddings.buffaloL(1)));
        long tess = faces.insert(sample(TESS, TestEmbeddings.buffaloL(2)));
        insertRaw("student", "S001", legacyEncoding());
        insertRaw("teacher", "", legacyEncoding());

        var rows = gallery.personsBetween(0, DatabasePrint.lastId(0));
        assertThat(rows).hasSize(4).containsEntry(ann, java.util.Optional.of(ANN)).containsEntry(tess, java.util.Optional.of(TESS));
        assertThat(rows.values()).filteredOn(java.util.Optional::isEmpty).hasSize(1);

        List<LoadedSample> loaded = new ArrayList<>();
        GalleryLoadSummary summary = gallery.loadBetween("buffalo_l", 512, 0, DatabasePrint.lastId(0), id -> id != tess,
                java.util.Map.of(ANN, "Ann"), LoadedSample.into(loaded));
        assertThat(loaded).extracting(LoadedSample::sampleId, LoadedSample::personName).containsExactly(tuple(ann, "Ann"));
        assertThat(summary.legacy()).isEqualTo(2);
    }

    @Test
    void loadsOnlyTheCurrentModelsEmbeddingsBitForBitAndCountsTheRest() {
        new PersonRepository(db.access()).createIfMissing(ANN, "Ann Lee");
        long ann = faces.insert(sample(ANN, TestEmbeddings.buffaloL(1)));
        long tess = faces.insert(sample(TESS, TestEmbeddings.buffaloL(2)));
        faces.insert(sample(ANN, new FaceDescriptor("antelopev2", TestEmbeddings.unit(3, 512))));
        faces.insert(sample(ANN, new FaceDescriptor("buffalo_l", TestEmbeddings.unit(4, 128))));
        faces.insert(sample(ANN, new FaceDescriptor("buffalo_l", new float[512])));
        insertRaw("student", "S001", legacyEncoding());
        insertRaw("student", "S001", "");
        insertRaw("teacher", "T01", null);
        insertRaw("teacher", "T01", "{\"model\":\"buffalo_l\"}");
        insertRaw("student", "", DescriptorCodec.encode(TestEmbeddings.buffaloL(5)));

        List<LoadedSample> loaded = new ArrayList<>();
        GalleryLoadSummary summary = gallery.load("buffalo_l", 512, LoadedSample.into(loaded));

        assertThat(summary).isEqualTo(new GalleryLoadSummary(2, 4, 2, 2));
        assertThat(summary.total()).isEqualTo(10);
        assertThat(loaded).extracting(LoadedSample::sampleId, LoadedSample::person, LoadedSample::personName)
                .containsExactly(tuple(ann, ANN, "Ann Lee"),
                        tuple(tess, TESS, null));
        assertThat(loaded.get(0).embedding()).isEqualTo(TestEmbeddings.unit(1, 512));
        assertThat(loaded.get(1).embedding()).isEqualTo(TestEmbeddings.unit(2, 512));
    }

    @Test
    void streamsALargeTableInIdOrder() {
        int rows = 1_203; // more than two streaming batches
        String descriptor = DescriptorCodec.encode(TestEmbeddings.buffaloL(9));
        db.access().write("fixture", () -> {
            for (int i = 0; i < rows; i++) {
                insertRaw(i % 2 == 0 ? "student" : "teacher", "C" + i, descriptor);
            }
            return null;
        });

        List<Long> ids = new ArrayList<>();
        GalleryLoadSummary summary = gallery.load("buffalo_l", 512, (id, person, name, embedding) -> ids.add(id));

        assertThat(summary).isEqualTo(new GalleryLoadSummary(rows, 0, 0, 0));
        assertThat(ids).hasSize(rows).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void loadsNothingFromAnEmptyTable() {
        assertThat(gallery.load("buffalo_l", 512, (id, person, name, embedding) -> {
            throw new AssertionError("no rows expected");
        })).isEqualTo(new GalleryLoadSummary(0, 0, 0, 0));
    }

    private void insertRaw(String type, String code, String descriptor) {
        db.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, FaceDescriptor) VALUES (?, ?, ?)")
                .params(Arrays.asList(type, code, descriptor)).update();
    }

    private static NewFaceSample sample(PersonRef person, FaceDescriptor descriptor) {
        return new NewFaceSample(person, new byte[] {1}, descriptor, null, "image/jpeg");
    }

    /** The old face_recognition encoding: a bare array of 128 numbers. */
    private static String legacyEncoding() {
        StringJoiner json = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 128; i++) {
            json.add(Double.toString(Math.sin(i) * 0.1));
        }
        return json.toString();
    }
}

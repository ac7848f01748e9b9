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

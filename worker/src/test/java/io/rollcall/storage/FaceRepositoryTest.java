package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class FaceRepositoryTest {

    private static final PersonRef ANN = PersonRef.student("S001");
    private static final PersonRef BO = PersonRef.student("S002");
    private static final PersonRef CY = PersonRef.student("S003");
    private static final PersonRef TESS = PersonRef.teacher("T01");
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    /** SHA-256("abc"), FIPS 180-2 test vector. */
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;
    private FaceRepository faces;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.migrated(kind);
        faces = new FaceRepository(db.access());
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null when the database was not available and the test was skipped
            db.close();
        }
    }

    @Test
    void storesASampleWithItsImageHashAndReturnsTheNewId() {
        long first = faces.insert(new NewFaceSample(ANN, ABC, TestEmbeddings.buffaloL(1), "ann.jpg", "image/jpeg"));
        long second = faces.insert(new NewFaceSample(ANN, null, TestEmbeddings.buffaloL(2), null, null));

        assertThat(second).isGreaterThan(first);
        var row = db.sql().sql("SELECT PersonType, PersonCode, ImageData, FaceDescriptor, OriginalName, ContentType,"
                        + " ImageSha256, CreatedDate FROM FaceData WHERE Id = ?").param(first)
                .query((rs, i) -> List.of(rs.getString(1), rs.getString(2).strip(), new String(rs.getBytes(3), StandardCharsets.US_ASCII),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getObject(8) != null))
                .single();
        assertThat(row).containsExactly("student", "S001", "abc", DescriptorCodec.encode(TestEmbeddings.buffaloL(1)),
                "ann.jpg", "image/jpeg", ABC_SHA256, true);
        assertThat(db.sql().sql("SELECT ImageData, ImageSha256, OriginalName FROM FaceData WHERE Id = ?").param(second)
                .query((rs, i) -> rs.getBytes(1) == null && rs.getString(2) == null && rs.getString(3) == null).single())
                .isTrue();
    }

    @Test
    void countsTheSamplesOfOnePerson() {
        faces.insert(sample(ANN, 1));
        faces.insert(sample(ANN, 2));
        faces.insert(sample(TESS, 3));

        assertThat(faces.countSamples(ANN)).isEqualTo(2);
        assertThat(faces.countSamples(PersonRef.student("S001    "))).isEqualTo(2);
        assertThat(faces.countSamples(PersonRef.teacher("S001"))).isZero();
        assertThat(faces.countSamples(TESS)).isEqualTo(1);
        assertThat(faces.countSamples(BO)).isZero();
    }

    @Test
    void listsSamplesOnePerEntryWithNamesEnrollmentDateAndWhetherTheImageIsKept() {
        PersonRepository persons = new PersonRepository(db.access());
        persons.createIfMissing(ANN, "Ann Lee");
        persons.createIfMissing(TESS, "Tess Ray");
        long a1 = faces.insert(sample(ANN, 1));
        long t1 = faces.insert(new NewFaceSample(TESS, null, TestEmbeddings.buffaloL(2), null, null));
        long b1 = faces.insert(sample(BO, 3)); // no Student row for S002

        long a2 = faces.insert(sample(ANN, 4));

        FacePage all = samples(Optional.empty(), Paging.ALL);

        assertThat(all.totalCount()).isEqualTo(4);
        assertThat(all.faces()).extracting(FaceSummary::sampleId, FaceSummary::person, FaceSummary::personName,
                        FaceSummary::hasImage, FaceSummary::samples)
                .containsExactly(
                        tuple(a1, ANN, "Ann Lee", true, 1),
                        tuple(t1, TESS, "Tess Ray", false, 1),
                        tuple(b1, BO, null, true, 1),
                        tuple(a2, ANN, "Ann Lee", true, 1));
        assertThat(all.faces()).allSatisfy(f -> assertThat(f.enrolledAt()).isNotNull());
    }

    @Test
    void pagesThroughOneTypeInIdOrderWithTheTotalOfAllPages() {
        long[] students = new long[5];
        for (int i = 0; i < 5; i++) {
            students[i] = faces.insert(sample(PersonRef.student("S10" + i), i));
            faces.insert(sample(PersonRef.teacher("T10" + i), 100 + i));
        }

        FacePage page = samples(Optional.of(PersonType.STUDENT), Paging.of(1, 2));
        FacePage last = samples(Optional.of(PersonType.STUDENT), Paging.of(4, 2));
        FacePage beyond = samples(Optional.of(PersonType.STUDENT), Paging.of(10, 2));

        assertThat(page.faces()).extracting(FaceSummary::sampleId).containsExactly(students[1], students[2]);
        assertThat(page.faces()).extracting(f -> f.person().code()).containsExactly("S101", "S102");
        assertThat(page.totalCount()).isEqualTo(5);
        assertThat(last.faces()).extracting(FaceSummary::sampleId).containsExactly(students[4]);
        assertThat(beyond.faces()).isEmpty();
        assertThat(beyond.totalCount()).isEqualTo(5);
        assertThat(samples(Optional.of(PersonType.TEACHER), Paging.ALL).faces()).extracting(f -> f.person().type())
                .containsOnly(PersonType.TEACHER).hasSize(5);
        assertThat(samples(Optional.empty(), Paging.of(0, 3)).totalCount()).isEqualTo(10);
    }

    @Test
    void listsEachPersonOnceAtTheirOldestSampleWithTheSampleCountAndWhetherAnySampleKeepsItsImage() {
        PersonRepository persons = new PersonRepository(db.access());
        persons.createIfMissing(ANN, "Ann Lee");
        long ann1 = faces.insert(new NewFaceSample(ANN, null, TestEmbeddings.buffaloL(1), null, null));
        long tess1 = faces.insert(new NewFaceSample(TESS, null, TestEmbeddings.buffaloL(2), null, null));
        long ann2 = faces.insert(sample(ANN, 3));
        long bo1 = faces.insert(sample(BO, 4));
        faces.insert(sample(ANN, 5));
        faces.insert(sample(BO, 6));
        LocalDateTime annEnrolled = LocalDateTime.of(2025, 9, 1, 8, 3, 0);
        setCreatedDate(ann1, annEnrolled);
        setCreatedDate(ann2, annEnrolled.plusDays(30));
        db.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, FaceDescriptor) VALUES ('student', '', '[]')").update();

        FacePage all = persons(Optional.empty(), Paging.ALL);

        assertThat(all.totalCount()).isEqualTo(3);
        assertThat(all.faces()).extracting(FaceSummary::sampleId, FaceSummary::person, FaceSummary::personName,
                        FaceSummary::hasImage, FaceSummary::samples)
                .containsExactly(
                        tuple(ann1, ANN, "Ann Lee", true, 3),
                        tuple(tess1, TESS, null, false, 1),
                        tuple(bo1, BO, null, true, 2));
        assertThat(all.faces().getFirst().enrolledAt()).isEqualTo(annEnrolled);
    }

    @Test
    void pagesThroughPersonsNotSamplesWithTheTotalOfAllPersons() {
        PersonRef[] students = new PersonRef[5];
        long[] firsts = new long[5];
        for (int i = 0; i < 5; i++) {
            students[i] = PersonRef.student("S10" + i);
            firsts[i] = faces.insert(sample(students[i], i));
            faces.insert(sample(PersonRef.teacher("T10" + i), 100 + i));
        }
        for (int i = 0; i < 5; i++) {
            faces.insert(sample(students[i], 200 + i));
        }

        FacePage page = persons(Optional.of(PersonType.STUDENT), Paging.of(1, 2));
        FacePage last = persons(Optional.of(PersonType.STUDENT), Paging.of(4, 2));

        assertThat(page.faces()).extracting(FaceSummary::sampleId, FaceSummary::person, FaceSummary::samples)
                .containsExactly(tuple(firsts[1], students[1], 2), tuple(firsts[2], students[2], 2));
        assertThat(page.totalCount()).isEqualTo(5);
        assertThat(last.faces()).extracting(FaceSummary::person).containsExactly(students[4]);
        assertThat(persons(Optional.of(PersonType.STUDENT), Paging.of(10, 2)).faces()).isEmpty();
        assertThat(persons(Optional.of(PersonType.TEACHER), Paging.ALL).totalCount()).isEqualTo(5);
        assertThat(persons(Optional.empty(), Paging.of(0, 3)).totalCount()).isEqualTo(10);
        assertThat(samples(Optional.empty(), Paging.of(0, 3)).totalCount()).isEqualTo(15);
    }

    @Test
    void deletesEverySampleOfAPersonAndNoOneElses() {
        faces.insert(sample(ANN, 1));
        faces.insert(sample(ANN, 2));
        long tess = faces.insert(sample(TESS, 3));
        db.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, FaceDescriptor) VALUES ('student', 'S001', '[0.1, 0.2]')")
                .update(); // a legacy sample of the same person goes too

        assertThat(faces.deleteAll(ANN)).isEqualTo(3);
        assertThat(faces.deleteAll(ANN)).isZero();
        assertThat(faces.countSamples(ANN)).isZero();
        assertThat(samples(Optional.empty(), Paging.ALL).faces()).extracting(FaceSummary::sampleId).containsExactly(tess);
    }

    @Test
    void tellsWhoseSampleAnIdIs() {
        long tess = faces.insert(sample(TESS, 1));
        db.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, FaceDescriptor) VALUES ('student', '', '[]')").update();
        long nobody = db.sql().sql("SELECT MAX(Id) FROM FaceData").query(Long.class).single();

        assertThat(faces.owner(tess)).contains(TESS);
        assertThat(faces.owner(nobody)).isEmpty();
        assertThat(faces.owner(nobody + 1000)).isEmpty();
    }

    @Test
    void deletesOneSampleByIdAndSaysWhoseItWas() {
        long first = faces.insert(sample(TESS, 1));
        long second = faces.insert(sample(TESS, 2));

        assertThat(faces.delete(first)).contains(TESS);
        assertThat(faces.delete(first)).isEmpty();
        assertThat(faces.delete(second + 1000)).isEmpty();
        assertThat(faces.countSamples(TESS)).isEqualTo(1);
    }

    @Test
    void findsAnIdenticalPhotoOfTheSamePersonByItsStoredHash() {
        long id = faces.insert(new NewFaceSample(ANN, ABC, TestEmbeddings.buffaloL(1), "a.jpg", "image/jpeg"));
        faces.insert(new NewFaceSample(ANN, "abd".getBytes(StandardCharsets.US_ASCII), TestEmbeddings.buffaloL(2), null, null));

        assertThat(faces.findSameImage(ANN, ABC)).isEqualTo(OptionalLong.of(id));
        assertThat(faces.findSameImage(BO, ABC)).isEmpty();
        assertThat(faces.findSameImage(ANN, "abcd".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void hashesRollcallPhotosStoredWithoutAHashOnDemandWithoutWritingTheHashBack() {
        byte[] photo = {(byte) 0xFF, (byte) 0xD8, 7, 7, 7};
        String rollcallDescriptor = DescriptorCodec.encode(TestEmbeddings.buffaloL(3));
        db.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, ImageData, FaceDescriptor) VALUES (?, ?, ?, ?)")
                .params("student", "S001", new byte[] {1, 2}, rollcallDescriptor).update();
        db.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, ImageData, FaceDescriptor) VALUES (?, ?, ?, ?)")
                .params("student", "S001", photo, rollcallDescriptor).update();
        long unhashedRow = db.sql().sql("SELECT MAX(Id) FROM FaceData").query(Long.class).single();

        assertThat(faces.findSameImage(ANN, photo)).isEqualTo(OptionalLong.of(unhashedRow));
        assertThat(faces.findSameImage(BO, photo)).isEmpty();
        assertThat(db.sql().sql("SELECT COUNT(*) FROM FaceData WHERE ImageSha256 IS NOT NULL").query(Integer.class).single())
                .isZero();
    }

    /** The old system's rows are not Rollcall enrollments: migrating their photo must not count as a duplicate. */
    @Test
    void theOldSystemsRowsAreNeitherTheSamePhotoNorCountedSamples() {
        byte[] photo = {(byte) 0xFF, (byte) 0xD8, 8, 8, 8};
        db.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, ImageData, FaceDescriptor) VALUES (?, ?, ?, ?)")
                .params("student", "S001", photo, "[0.5, 0.25]").update();

        assertThat(faces.findSameImage(ANN, photo)).isEmpty();
        assertThat(faces.countSamples(ANN)).isZero();
        long id = faces.insert(new NewFaceSample(ANN, photo, TestEmbeddings.buffaloL(4), null, null));
        assertThat(faces.findSameImage(ANN, photo)).isEqualTo(OptionalLong.of(id));
        assertThat(faces.countSamples(ANN)).isEqualTo(1);
    }

    @Test
    void readsCodesStoredWithNcharPaddingAsTheSamePerson() {
        db.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, FaceDescriptor) VALUES ('teacher', 'T01       ', ?)")
                .param(DescriptorCodec.encode(TestEmbeddings.buffaloL(5))).update();

        faces.insert(sample(TESS, 1));

        FacePage page = samples(Optional.of(PersonType.TEACHER), Paging.ALL);

        assertThat(page.faces()).extracting(FaceSummary::person).containsExactly(TESS, TESS);
        assertThat(persons(Optional.of(PersonType.TEACHER), Paging.ALL).faces())
                .extracting(FaceSummary::person, FaceSummary::samples).containsExactly(tuple(TESS, 2));
        assertThat(faces.countSamples(TESS)).isEqualTo(2);
        assertThat(faces.delete(page.faces().getFirst().sampleId())).isEqualTo(Optional.of(TESS));
    }

    private FacePage samples(Optional<PersonType> type, Paging paging) {
        return faces.list(type, FaceListing.PER_SAMPLE, paging);
    }

    private FacePage persons(Optional<PersonType> type, Paging paging) {
        return faces.list(type, FaceListing.PER_PERSON, paging);
    }

    private void setCreatedDate(long id, LocalDateTime at) {
        db.sql().sql("UPDATE FaceData SET CreatedDate = ? WHERE Id = ?").params(at, id).update();
    }

    private static NewFaceSample sample(PersonRef person, long seed) {
        return new NewFaceSample(person, ("photo-" + seed).getBytes(StandardCharsets.US_ASCII),
                TestEmbeddings.buffaloL(seed), "p" + seed + ".jpg", "image/jpeg");
    }
}

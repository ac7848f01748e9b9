package io.rollcall.reembed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.storage.DescriptorRepository;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.GalleryLoadSummary;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.NewFaceSample;
import io.rollcall.storage.LoadedSample;
import io.rollcall.testing.DevData;
import io.rollcall.testing.Vectors;
import io.rollcall.testing.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Moving samples enrolled under another pack to the dev pack, from their stored photos, on every test database. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class ReembedderTest {

    private static final PersonRef TOM = PersonRef.student("S001");
    private static final PersonRef ANGELINA = PersonRef.teacher("T01");
    private static final PersonRef ELON = PersonRef.student("S002");
    private static final PersonRef KATY = PersonRef.student("S003");
    private static final PersonRef NOBODY = PersonRef.student("S004");
    private static final String OLD_PACK = "old_pack";

    /** The reference: the enrollment's own embedding, quality gate off as in the re-embedding. */
    private static FaceEngine reference;

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;
    private FaceRepository faces;
    private Reembedder reembedder;
    private String dev;
    private int dim;

    @BeforeAll
    static void openReferenceEngine() {
        EngineSettings d = EngineSettings.defaults();
        reference = DevData.open(new EngineSettings(d.detector(), d.intraOpThreads(), d.concurrentInferences(), false));
    }

    @AfterAll
    static void closeReferenceEngine() {
        reference.close();
    }

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.migrated(kind);
        faces = new FaceRepository(db.access());
        PhotoEmbedder embedder = new EnginePhotoEmbedder(DevData.engine(), DevData.decoder());
        reembedder = new Reembedder(new DescriptorRepository(db.access()), embedder);
        dev = embedder.model();
        dim = embedder.dim();
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null when the database was not available and the test was skipped
            db.close();
        }
    }

    /** The fixture: ids of the rows by role. */
    private record Fixture(long tom1, long tom2, long angelina, long elonCurrent, long katyLegacy, long noFace,
                           long noImage) {
    }

    private Fixture enroll() {
        long tom1 = faces.insert(sample(TOM, "tom_hanks/01.jpg", oldPack(1)));
        long tom2 = faces.insert(sample(TOM, "tom_hanks/02.jpg", oldPack(2)));
        long angelina = faces.insert(sample(ANGELINA, "angelina_jolie/01.jpg", oldPack(3)));
        long elon = faces.insert(sample(ELON, "elon_musk/01.jpg", new FaceDescriptor(dev, embedding("elon_musk/01.jpg"))));
        long katy = insertLegacy(KATY, DevData.bytes("katy_perry/01.jpg"), legacy128());
        long noFace = faces.insert(sample(NOBODY, "_noface/01.jpg", oldPack(4)));
        long noImage = faces.insert(new NewFaceSample(TOM, null, oldPack(5), null, null));
        return new Fixture(tom1, tom2, angelina, elon, katy, noFace, noImage);
    }

    @Test
    void reembedsEverySampleWithAPhotoSoTheGalleryLoadsThemUnderTheConfiguredPack() {
        Fixture f = enroll();
        Map<Long, String> before = rawDescriptors();

        ReembedReport report = reembedder.run(ReembedOptions.all(), p -> { });

        assertThat(report.scanned()).isEqualTo(7);
        assertThat(report.reembedded()).isEqualTo(3);
        assertThat(report.alreadyCurrent()).isEqualTo(1);
        assertThat(report.skipped()).containsOnly(Map.entry(SkipReason.LEGACY_DESCRIPTOR, 1),
                Map.entry(SkipReason.NO_FACE_DETECTED, 1), Map.entry(SkipReason.NO_IMAGE, 1));
        assertThat(report.skippedSamples()).extracting(SkippedSample::sampleId, SkippedSample::person,
                        SkippedSample::reason)
                .containsExactly(tuple(f.noFace(), "student/S004", SkipReason.NO_FACE_DETECTED),
                        tuple(f.noImage(), "student/S001", SkipReason.NO_IMAGE));
        assertThat(report.failed()).isEmpty();

        List<LoadedSample> loaded = new ArrayList<>();
        GalleryLoadSummary summary = new GalleryRepository(db.access()).load(dev, dim, LoadedSample.into(loaded));
        assertThat(summary).isEqualTo(new GalleryLoadSummary(4, 1, 2, 0));
        assertThat(loaded).extracting(LoadedSample::sampleId, LoadedSample::person)
                .containsExactly(tuple(f.tom1(), TOM), tuple(f.tom2(), TOM), tuple(f.angelina(), ANGELINA),
                        tuple(f.elonCurrent(), ELON));
        Map<Long, String> photos = Map.of(f.tom1(), "tom_hanks/01.jpg", f.tom2(), "tom_hanks/02.jpg",
                f.angelina(), "angelina_jolie/01.jpg", f.elonCurrent(), "elon_musk/01.jpg");
        for (LoadedSample e : loaded) {
            assertThat(Vectors.cosine(e.embedding(), embedding(photos.get(e.sampleId()))))
                    .as("FaceData %d against the engine's own embedding of its photo", e.sampleId())
                    .isGreaterThan(0.9999);
        }

        Map<Long, String> after = rawDescriptors();
        for (long untouched : List.of(f.elonCurrent(), f.katyLegacy(), f.noFace(), f.noImage())) {
            assertThat(after.get(untouched)).as("FaceData %d", untouched).isEqualTo(before.get(untouched));
        }
        assertThat(after.get(f.katyLegacy())).isEqualTo(legacy128());
        assertThat(imageCount()).as("photos kept").isEqualTo(6);
    }

    @Test
    void aSecondRunChangesNothing() {
        enroll();
        reembedder.run(ReembedOptions.all(), p -> { });
        Map<Long, String> afterFirst = rawDescriptors();

        ReembedReport again = reembedder.run(ReembedOptions.all(), p -> { });

        assertThat(again.reembedded()).isZero();
        assertThat(again.alreadyCurrent()).isEqualTo(4);
        assertThat(again.skippedTotal()).isEqualTo(3);
        assertThat(rawDescriptors()).isEqualTo(afterFirst);
    }

    @Test
    void aDryRunCountsAndWritesNothing() {
        enroll();
        Map<Long, String> before = rawDescriptors();
        Reembedder counting = new Reembedder(new DescriptorRepository(db.access()),
                PhotoEmbedder.countingOnly(dev, dim));

        ReembedReport report = counting.run(new ReembedOptions(Optional.empty(), true, 100), p -> { });

        // Faces are not looked for in a dry run: the no-face photo counts as one to re-embed.
        assertThat(report.dryRun()).isTrue();
        assertThat(report.reembedded()).isEqualTo(4);
        assertThat(report.alreadyCurrent()).isEqualTo(1);
        assertThat(report.skipped()).containsOnly(Map.entry(SkipReason.LEGACY_DESCRIPTOR, 1),
                Map.entry(SkipReason.NO_IMAGE, 1));
        assertThat(rawDescriptors()).isEqualTo(before);
    }

    @Test
    void onePersonTypeLeavesTheOtherAlone() {
        Fixture f = enroll();
        Map<Long, String> before = rawDescriptors();

        ReembedReport report = reembedder.run(new ReembedOptions(Optional.of(PersonType.TEACHER), false, 1), p -> { });

        assertThat(report.scanned()).isEqualTo(1);
        assertThat(report.reembedded()).isEqualTo(1);
        Map<Long, String> after = rawDescriptors();
        assertThat(after.get(f.angelina())).isNotEqualTo(before.get(f.angelina()));
        after.remove(f.angelina());
        before.remove(f.angelina());
        assertThat(after).isEqualTo(before);
    }

    @Test
    void reportsProgressEveryNRows() {
        enroll();
        List<Integer> seen = new ArrayList<>();

        reembedder.run(new ReembedOptions(Optional.empty(), true, 3), p -> seen.add(p.scanned()));

        assertThat(seen).containsExactly(3, 6);
    }

    private NewFaceSample sample(PersonRef person, String photo, FaceDescriptor descriptor) {
        return new NewFaceSample(person, DevData.bytes(photo), descriptor, photo, "image/jpeg");
    }

    /** Another pack of the same dimension: a random unit vector the dev pack would never give. */
    private FaceDescriptor oldPack(long seed) {
        Random random = new Random(seed);
        float[] v = new float[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return new FaceDescriptor(OLD_PACK, v);
    }

    /** The Node.js system's face_recognition encoding: a bare array of 128 numbers. */
    private static String legacy128() {
        StringJoiner json = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 128; i++) {
            json.add(Double.toString(Math.sin(i) / 10));
        }
        return json.toString();
    }

    private long insertLegacy(PersonRef person, byte[] image, String descriptor) {
        db.sql().sql("INSERT INTO FaceData (PersonType, PersonCode, ImageData, FaceDescriptor) VALUES (?, ?, ?, ?)")
                .params(person.type().wireName(), person.code(), image, descriptor).update();
        return db.sql().sql("SELECT MAX(Id) FROM FaceData").query(Long.class).single();
    }

    private Map<Long, String> rawDescriptors() {
        Map<Long, String> rows = new LinkedHashMap<>();
        db.sql().sql("SELECT Id, FaceDescriptor FROM FaceData ORDER BY Id")
                .query(rs -> {
                    rows.put(rs.getLong(1), rs.getString(2));
                });
        return rows;
    }

    private int imageCount() {
        return db.sql().sql("SELECT COUNT(*) FROM FaceData WHERE ImageData IS NOT NULL").query(Integer.class).single();
    }

    private static float[] embedding(String photo) {
        try (DecodedImage image = DevData.decode(photo)) {
            return reference.enrollmentEmbedding(image).embedding();
        }
    }
}

package io.rollcall.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.rollcall.calibration.VerificationMetrics;
import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.image.ImageLimits;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.enroll.EnrollmentSettings;
import io.rollcall.enroll.FaceEnrollment;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.gallery.PackEvent;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.PackRuntime;
import io.rollcall.gallery.GalleryFeed;
import io.rollcall.gallery.GallerySync;
import io.rollcall.gallery.LocalGalleryFeed;
import io.rollcall.inference.EngineHolder;
import io.rollcall.inference.Photos;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.MigrationRepository;
import io.rollcall.storage.PersonRepository;
import io.rollcall.testing.DevData;
import io.rollcall.testing.LegacySchool;
import io.rollcall.testing.TestDatabase;
import io.rollcall.testing.Vectors;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The migration from the old system on a database built the way it leaves one ({@link LegacySchool#standardClass}),
 * on every test database, with the real dev pack and photos.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class MigrationTest {
    private static final OpenSetDecision DECISION = new OpenSetDecision.GallerySize(DevData.devPack().impostorTail(), 0.01);
    private static final Set<String> NOTHING_IGNORED = Set.of();

    private static EngineHolder engines;

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;
    /** The school's tables as Rollcall finds them, schema migrated, before any migration run. */
    private Map<String, List<Map<String, String>>> before;
    private Gallery gallery;

    @BeforeAll
    static void loadEngine() {
        engines = new EngineHolder(new ModelSettings(DevData.models(), "dev", false), EngineSettings.defaults(),
                Duration.ofSeconds(30), Clock.systemUTC());
    }

    @AfterAll
    static void closeEngine() {
        engines.close();
    }

    @BeforeEach
    void buildTheOldSystemsDatabase() {
        db = TestDatabase.create(kind);
        LegacySchool.standardClass(db.dataSource(), kind == TestDatabase.Kind.H2 ? "h2" : "mysql");
        db.migrate();
        before = LegacySchool.snapshot(db.dataSource(), NOTHING_IGNORED);
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null when the database was not available and the test was skipped
            db.close();
        }
    }

    @Test
    void migratesEveryoneWithAUsablePhotoAndCountsEveryPhotoLeftBehindByReason() {
        String batch = UUID.randomUUID().toString();
        List<MigrationProgress> progress = new ArrayList<>();

        MigrationReport report = migration(new LocalGalleryFeed())
                .run(batch, MigrationOptions.everyone(), progress::add, () -> false).orElseThrow();

        assertThat(report.batchId()).isEqualTo(batch);
        assertThat(report.dryRun()).isFalse();
        assertThat(report.modelPack()).isEqualTo("dev");
        assertThat(report.personsTotal()).isEqualTo(15);
        assertThat(report.migrated()).isEqualTo(6);
        assertThat(report.withoutUsablePhoto()).isEqualTo(9);
        assertThat(report.photosTotal()).isEqualTo(15);
        assertThat(report.samplesCreated()).isEqualTo(9);
        assertThat(report.samplesAlreadyMigrated()).isZero();
        assertThat(report.skipped()).containsExactly(entry("no_photo", 5), entry("no_face", 1), entry("multiple_faces", 1),
                entry("unreadable", 1), entry("duplicate", 1), entry("sample_mismatch", 1), entry("same_photo", 1),
                entry("sample_limit", 0));
        assertThat(report.coverage()).isEqualTo(0.4);
        assertThat(report.quality().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(9);
        assertThat(report.missing()).extracting(MigrationReport.MissingPerson::personType,
                        MigrationReport.MissingPerson::personCode, MigrationReport.MissingPerson::personName,
                        MigrationReport.MissingPerson::reason)
                .containsExactly(
                        tuple("student", "S001", "Ann Lee", "no_photo"),
                        tuple("student", "S002", "Bo", "no_photo"),
                        tuple("student", "S003", "Cy Dee", "no_photo"),
                        tuple("student", "S104", "Nobody Face", "no_face"),
                        tuple("student", "S106", "Descriptor Only", "no_photo"),
                        tuple("student", "S108", "Group Photo", "multiple_faces"),
                        tuple("student", "S109", "Broken File", "unreadable"),
                        tuple("teacher", "T01", "Tess Ray", "no_photo"),
                        tuple("teacher", "T102", "Tom Again", "duplicate"));
        assertThat(progress.getLast()).isEqualTo(new MigrationProgress(15, 15, 6, 9));
        assertThat(progress).hasSize(16);

        // Rows: the batch's nine, each recorded with the old photo it came from; every old row exactly as it was.
        assertThat(newRows()).containsExactly(
                "student:S101:FaceData 1:01.jpg", "student:S101:FaceData 2:02.jpg",
                "student:S102:FaceData 3:01.jpg", "student:S102:FaceData 4:02.jpg",
                "student:S103:Student 6:Student 6", "student:S105:FaceData 6:01.jpg",
                "student:S107:FaceData 9:01.jpg", "teacher:T101:FaceData 12:01.jpg", "teacher:T101:FaceData 13:02.jpg");
        assertOldRowsUntouched();
        assertThat(gallery.size()).isEqualTo(9);
        assertThat(gallery.personCount()).isEqualTo(6);
        assertThat(gallery.name(PersonRef.student("S107"))).as("a code without a Student row stays nameless").isEmpty();
        assertThat(db.sql().sql("SELECT COUNT(*) FROM RollcallMigratedPersons WHERE BatchId = ?").param(batch)
                .query(Integer.class).single()).isEqualTo(15);
        assertThat(db.sql().sql("SELECT ModelPack FROM RollcallMigrationBatches WHERE BatchId = ? AND FinishedAt IS NOT NULL"
                + " AND Report IS NOT NULL").param(batch).query(String.class).single()).isEqualTo("dev");
    }

    @Test
    void validatesOnTheSchoolsOwnPhotosWithTheDecisionInForceForTheGallerysSize() {
        MigrationReport report = migration(new LocalGalleryFeed())
                .run(UUID.randomUUID().toString(), MigrationOptions.everyone(), p -> { }, () -> false).orElseThrow();

        // Enrollment photos: the first migrated photo of each of the six; probes: S101's, S102's and T101's second.
        Map<String, List<String>> photos = new LinkedHashMap<>();
        photos.put("S101", List.of("kofi_annan/01.jpg", "kofi_annan/02.jpg"));
        photos.put("S102", List.of("laura_bush/01.jpg", "laura_bush/02.jpg"));
        photos.put("S103", List.of("hugo_chavez/01.jpg"));
        photos.put("S105", List.of("vladimir_putin/01.jpg"));
        photos.put("S107", List.of("halle_berry/01.jpg"));
        photos.put("T101", List.of("tom_hanks/01.jpg", "tom_hanks/02.jpg"));
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        double inForce = DECISION.threshold(report.samplesCreated());
        int recognised = 0;
        for (var probe : photos.entrySet()) {
            for (String photo : probe.getValue().subList(1, probe.getValue().size())) {
                for (var enrolled : photos.entrySet()) {
                    double s = cosine(photo, enrolled.getValue().getFirst());
                    (enrolled.getKey().equals(probe.getKey()) ? genuine : impostor).add(s);
                    if (enrolled.getKey().equals(probe.getKey()) && (float) s >= (float) inForce) {
                        recognised++;
                    }
                }
            }
        }
        VerificationMetrics expected = new VerificationMetrics(genuine.stream().mapToDouble(d -> d).toArray(),
                impostor.stream().mapToDouble(d -> d).toArray());

        MigrationReport.Validation v = report.validation();
        assertThat(v.persons()).isEqualTo(6);
        assertThat(v.probes()).isEqualTo(3);
        assertThat(v.rank1()).isEqualTo(1.0);
        assertThat(v.genuinePairs()).isEqualTo(3);
        assertThat(v.impostorPairs()).isEqualTo(15);
        assertThat(v.tarAtFar1e3()).isEqualTo(Math.round(expected.tarAtFar(1e-3) * 10_000) / 10_000.0);
        assertThat(v.thresholdAtFar1e3()).isEqualTo(Math.ceil(expected.thresholdAtFar(1e-3) * 10_000) / 10_000.0);
        assertThat(v.galleryFaces()).isEqualTo(report.samplesCreated()).isEqualTo(9);
        assertThat(v.decision()).isEqualTo("gallery-size threshold for 0.01 of strangers accepted");
        assertThat(v.thresholdInForce()).isEqualTo(Math.round(inForce * 10_000) / 10_000.0);
        assertThat(v.tarAtThresholdInForce()).isEqualTo(Math.round(recognised / 3.0 * 10_000) / 10_000.0);
        assertThat(v.impostorTail()).as("15 impostor pairs are too few to fit a tail").isNull();
        assertThat(v.recommendedThreshold()).isNull();
        assertThat(report.warnings()).contains("Only 15 impostor pairs: too few to fit this school's own impostor tail"
                + " (100 at least, 10000 for a firm one); the pack's stays in force, and threshold_at_far_1e-3 is only a bound");
    }

    @Test
    void aSecondRunCreatesNothingForPeopleAlreadyMigrated() {
        migration(new LocalGalleryFeed()).run(UUID.randomUUID().toString(), MigrationOptions.everyone(), p -> { }, () -> false);
        List<String> rows = newRows();

        MigrationReport again = migration(new LocalGalleryFeed())
                .run(UUID.randomUUID().toString(), MigrationOptions.everyone(), p -> { }, () -> false).orElseThrow();

        // Only the nine without a usable photo are tried again, with the same outcome.
        assertThat(again.personsTotal()).isEqualTo(9);
        assertThat(again.migrated()).isZero();
        assertThat(again.samplesCreated()).isZero();
        assertThat(again.skipped()).contains(entry("no_photo", 5), entry("no_face", 1), entry("multiple_faces", 1),
                entry("unreadable", 1), entry("duplicate", 1));
        assertThat(newRows()).isEqualTo(rows);
        assertOldRowsUntouched();
    }

    @Test
    void aRunStoppedBetweenPeopleContinuesWithThoseItHadNotReached() {
        AtomicInteger finished = new AtomicInteger();
        Optional<MigrationReport> stopped = migration(new LocalGalleryFeed()).run(UUID.randomUUID().toString(),
                MigrationOptions.everyone(), p -> finished.set(p.done()), () -> finished.get() == 5);
        assertThat(stopped).isEmpty();
        assertThat(newRows()).containsExactly("student:S101:FaceData 1:01.jpg", "student:S101:FaceData 2:02.jpg",
                "student:S102:FaceData 3:01.jpg", "student:S102:FaceData 4:02.jpg");

        MigrationReport rest = migration(new LocalGalleryFeed())
                .run(UUID.randomUUID().toString(), MigrationOptions.everyone(), p -> { }, () -> false).orElseThrow();

        assertThat(rest.personsTotal()).isEqualTo(13);
        assertThat(rest.samplesCreated()).isEqualTo(5);
        assertThat(newRows()).hasSize(9);
        assertOldRowsUntouched();
    }

    @Test
    void aPersonCutOffHalfWayResumesWithThePhotosNotYetMigrated() {
        // The gallery feed refuses S101's second photo: FaceEnrollment withdraws that row, and its batch record with it.
        String first = UUID.randomUUID().toString();
        assertThatThrownBy(() -> migration(new RefusingFeed(2)).run(first, MigrationOptions.everyone(), p -> { }, () -> false))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(newRows()).containsExactly("student:S101:FaceData 1:01.jpg");
        assertThat(batchRows(first)).isEqualTo(1);

        String second = UUID.randomUUID().toString();
        MigrationReport report = migration(new LocalGalleryFeed())
                .run(second, MigrationOptions.everyone(), p -> { }, () -> false).orElseThrow();

        assertThat(report.personsTotal()).isEqualTo(15);
        assertThat(report.migrated()).isEqualTo(6);
        assertThat(report.samplesAlreadyMigrated()).isEqualTo(1);
        assertThat(report.samplesCreated()).isEqualTo(8);
        assertThat(report.skipped()).containsEntry("same_photo", 1).containsEntry("sample_mismatch", 1);
        assertThat(report.validation().probes()).isEqualTo(3);
        assertThat(newRows()).hasSize(9);
        assertThat(batchRows(first)).isEqualTo(1);
        assertThat(batchRows(second)).isEqualTo(8);
        assertOldRowsUntouched();
    }

    @Test
    void aDryRunReportsExactlyWhatTheRunThenDoesAndWritesNothing() {
        MigrationReport dry = migration(new LocalGalleryFeed()).run(UUID.randomUUID().toString(),
                new MigrationOptions(Optional.empty(), null, null, Set.of(), null, true), p -> { }, () -> false).orElseThrow();

        assertThat(LegacySchool.snapshot(db.dataSource(), NOTHING_IGNORED)).isEqualTo(before);
        assertThat(db.sql().sql("SELECT (SELECT COUNT(*) FROM RollcallMigrationBatches) + (SELECT COUNT(*) FROM"
                + " RollcallMigratedSamples) + (SELECT COUNT(*) FROM RollcallMigratedPersons)").query(Integer.class).single()).isZero();
        assertThat(gallery.size()).isZero();

        MigrationReport real = migration(new LocalGalleryFeed())
                .run(UUID.randomUUID().toString(), MigrationOptions.everyone(), p -> { }, () -> false).orElseThrow();

        assertThat(dry.dryRun()).isTrue();
        assertThat(dry).usingRecursiveComparison().ignoringFields("batchId", "dryRun", "selection").isEqualTo(real);
    }

    @Test
    void theFiltersPickWhoMovesNowAndLaterRunsTakeTheRest() {
        Migration migration = migration(new LocalGalleryFeed());

        MigrationReport south10b = migration.run(UUID.randomUUID().toString(),
                new MigrationOptions(Optional.empty(), " south ", "10b", Set.of(), null, false), p -> { }, () -> false).orElseThrow();
        assertThat(south10b.personsTotal()).isEqualTo(2);
        assertThat(south10b.migrated()).as("S105, S104's photo has no face").isEqualTo(1);
        assertThat(south10b.missing()).extracting(MigrationReport.MissingPerson::personCode).containsExactly("S104");

        MigrationReport teachers = migration.run(UUID.randomUUID().toString(),
                new MigrationOptions(Optional.of(PersonType.TEACHER), "South", null, Set.of(), 1, false), p -> { }, () -> false)
                .orElseThrow();
        assertThat(teachers.personsTotal()).isEqualTo(1);
        assertThat(teachers.samplesCreated()).isEqualTo(2);
        assertThat(newRows()).containsExactly("student:S105:FaceData 6:01.jpg", "teacher:T101:FaceData 12:01.jpg",
                "teacher:T101:FaceData 13:02.jpg");

        MigrationReport byCode = migration.run(UUID.randomUUID().toString(),
                new MigrationOptions(Optional.empty(), null, null, Set.of("S103", "T101", "X999"), null, false), p -> { }, () -> false)
                .orElseThrow();
        assertThat(byCode.personsTotal()).as("T101 is already migrated").isEqualTo(1);
        assertThat(byCode.samplesCreated()).isEqualTo(1);
        assertThat(byCode.warnings()).contains("1 of the codes given match nobody the old system knows: X999");

        MigrationReport rest = migration.run(UUID.randomUUID().toString(), MigrationOptions.everyone(), p -> { }, () -> false)
                .orElseThrow();
        assertThat(rest.samplesCreated()).isEqualTo(5);
        assertThat(newRows()).hasSize(9);
    }

    @Test
    void invalidOptionsAreValidationErrorsNamingTheOption() {
        assertThatThrownBy(() -> new MigrationOptions(Optional.empty(), null, null, Set.of(), 0, false))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).containsEntry("field", "limit");
                });
        assertThatThrownBy(() -> new MigrationOptions(Optional.empty(), null, null, Set.of("ABCDEFGHIJK"), null, false))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.details()).containsEntry("field", "codes"));
        assertThatThrownBy(() -> new MigrationOptions(Optional.empty(), "x".repeat(51), null, Set.of(), null, false))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.details()).containsEntry("field", "campus"));
    }

    @Test
    void aRollbackDeletesExactlyTheBatchsRowsAndTheGalleryFollows() {
        Migration migration = migration(new LocalGalleryFeed());
        String north = UUID.randomUUID().toString();
        String rest = UUID.randomUUID().toString();
        migration.run(north, new MigrationOptions(Optional.empty(), "North", null, Set.of(), null, false), p -> { }, () -> false);
        migration.run(rest, MigrationOptions.everyone(), p -> { }, () -> false);
        assertThat(gallery.size()).isEqualTo(9);

        RollbackReport first = migration.rollback(north, p -> { }, "test");

        assertThat(first).isEqualTo(RollbackReport.of(north, 5, 5, false)); // S101, S102, S103, S108, S109
        assertThat(newRows()).containsExactly("student:S105:FaceData 6:01.jpg", "student:S107:FaceData 9:01.jpg",
                "teacher:T101:FaceData 12:01.jpg", "teacher:T101:FaceData 13:02.jpg");
        assertThat(gallery.size()).isEqualTo(4);
        assertOldRowsUntouched();

        assertThat(migration.rollback(rest, p -> { }, "test").samplesDeleted()).isEqualTo(4);

        assertThat(LegacySchool.snapshot(db.dataSource(), NOTHING_IGNORED)).as("the school's tables exactly as before")
                .isEqualTo(before);
        assertThat(gallery.size()).isZero();
        assertThat(db.sql().sql("SELECT (SELECT COUNT(*) FROM RollcallMigratedSamples) + (SELECT COUNT(*) FROM"
                + " RollcallMigratedPersons)").query(Integer.class).single()).isZero();
        assertThat(migration.rollback(north, p -> { }, "test")).isEqualTo(RollbackReport.of(north, 0, 0, true));
        assertThatThrownBy(() -> migration.rollback("no-such-batch", p -> { }, "test"))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));

        // The people rolled back are migrated again by the next run, as on day one.
        assertThat(migration.run(UUID.randomUUID().toString(), MigrationOptions.everyone(), p -> { }, () -> false)
                .orElseThrow().samplesCreated()).isEqualTo(9);
    }

    /** A migration wired as a worker wires it, its gallery following {@code feed}. */
    private Migration migration(GalleryFeed feed) {
        ModelPack pack = DevData.devPack();
        gallery = new Gallery(pack.name(), pack.embeddingDim());
        GallerySync sync = new GallerySync(gallery, new GalleryRepository(db.access()), feed);
        FaceRepository faces = new FaceRepository(db.access());
        ActivePack active = new ActivePack(new PackRuntime(pack, engines, sync, null));
        FaceEnrollment enrollment = new FaceEnrollment(p -> new EnrollmentSettings(0.75, 10, p.sampleMatchThreshold()), p -> DECISION,
                active, new Photos(new ImageDecoder(ImageLimits.defaults())), db.access(), faces, new PersonRepository(db.access()));
        return new Migration(enrollment, new MigrationRepository(db.access()), active, new GalleryRepository(db.access()),
                p -> DECISION, 0.01);
    }

    /** Rollcall's rows, as {@code type:code:source:original name}, by id. */
    private List<String> newRows() {
        return db.sql().sql("""
                        SELECT f.PersonType, f.PersonCode, s.SourceTable, s.SourceId, f.OriginalName
                        FROM FaceData f JOIN RollcallMigratedSamples s ON s.FaceDataId = f.Id ORDER BY f.Id""")
                .query((rs, i) -> rs.getString(1) + ":" + rs.getString(2).strip() + ":" + rs.getString(3) + " "
                        + rs.getLong(4) + ":" + rs.getString(5))
                .list();
    }

    private int batchRows(String batch) {
        return db.sql().sql("SELECT COUNT(*) FROM RollcallMigratedSamples WHERE BatchId = ?").param(batch)
                .query(Integer.class).single();
    }

    /** Students and teachers as they were, every old FaceData row as it was, every column, byte for byte. */
    private void assertOldRowsUntouched() {
        Map<String, List<Map<String, String>>> now = LegacySchool.snapshot(db.dataSource(), NOTHING_IGNORED);
        assertThat(now.get("Student")).isEqualTo(before.get("Student"));
        assertThat(now.get("Teacher")).isEqualTo(before.get("Teacher"));
        assertThat(now.get("FaceData").subList(0, before.get("FaceData").size())).isEqualTo(before.get("FaceData"));
        assertThat(db.sql().sql("SELECT COUNT(*) FROM FaceData f WHERE NOT EXISTS (SELECT 1 FROM RollcallMigratedSamples s"
                + " WHERE s.FaceDataId = f.Id)").query(Integer.class).single()).as("no row but the old and the migrated")
                .isEqualTo(before.get("FaceData").size());
    }

    private static double cosine(String a, String b) {
        return Vectors.cosine(embedding(a), embedding(b));
    }

    private static float[] embedding(String photo) {
        try (DecodedImage image = DevData.decode(photo)) {
            return engines.engine().enrollmentEmbedding(image, false).embedding();
        }
    }

    /** The Kafka feed's failure, on the {@code n}th publish: as when the broker goes away in the middle of a run. */
    private static final class RefusingFeed implements GalleryFeed {
        private final LocalGalleryFeed local = new LocalGalleryFeed();
        private final int n;
        private int published;

        RefusingFeed(int n) {
            this.n = n;
        }

        @Override
        public long end() {
            return local.end();
        }

        @Override
        public void follow(long position, Listener listener) {
            local.follow(position, listener);
        }

        @Override
        public long publish(GalleryEvent event) {
            if (++published == n) {
                throw new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "could not publish the gallery change to Kafka");
            }
            return local.publish(event);
        }

        @Override
        public long publish(PackEvent event) {
            return local.publish(event);
        }

        @Override
        public CompletableFuture<Long> endLater() {
            return local.endLater();
        }

        @Override
        public void close() {
            local.close();
        }
    }
}

package io.rollcall.enroll;

import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.quality.QualityReport;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.gallery.GallerySync;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.PackRuntime;
import io.rollcall.inference.Photos;
import io.rollcall.person.PersonRef;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.NewFaceSample;
import io.rollcall.storage.PersonRepository;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.OptionalLong;

/**
 * Enrolling one photo of one person: the single place that holds the enrollment rules, used by
 * {@code POST /api/face/enroll}, batch enrollment, bulk-import jobs and the migration from the old system alike.
 *
 * <p>The rules, in the order they are checked: the same photo already enrolled for the same person (before any
 * inference, so a re-run import costs a hash per photo); the photo itself (one clearly dominant face of enrollment
 * quality, else {@code NO_FACE_DETECTED}, {@code MULTIPLE_FACES}, {@code LOW_QUALITY_IMAGE}); a face that already
 * matches a <em>different</em> person at {@code DUPLICATE_THRESHOLD} ({@code DUPLICATE_ENROLLMENT} unless
 * allowed); a face that does not look like the person's own samples, below {@code SAMPLE_MATCH_THRESHOLD}
 * ({@code SAMPLE_MISMATCH} unless allowed: otherwise a stranger's photo under an existing code would be recognised
 * as that person from then on); at most {@code MAX_SAMPLES_PER_PERSON} samples. The sample limit, the insert and
 * a rename run under a per-person lock, so two workers enrolling the same person at once (an HTTP call racing an
 * import) cannot both pass them.
 *
 * <p>A name that differs from the school's renames the person, and the answer says so ({@link Enrolled#previousName}):
 * the list, every worker's gallery and the Node.js system then show one name.
 *
 * <p>Write order: database, then the gallery event (every worker's gallery), then this worker's gallery. A caller
 * that keeps its own record of the samples it causes (the migration's batches) writes it through a {@link WriteHook}
 * in the same transaction as the sample. A dry run goes through {@link #rehearse}: every rule, nothing written.
 */
public final class FaceEnrollment {
    private final EnrollmentChecks checks;
    private final ActivePack packs;
    private final Photos photos;
    private final DatabaseAccess db;
    private final FaceRepository faces;
    private final PersonRepository persons;

    /** What to make of a photo already enrolled for the same person. */
    public enum SamePhoto {
        /** {@code DUPLICATE_ENROLLMENT}: a caller sending the same photo twice is told so. */
        REFUSE,
        /**
         * Already done: a job that is run again (redelivered after a worker stopped, or resubmitted) finds the items it
         * enrolled the first time and counts them as enrolled instead of adding a second copy or failing them.
         */
        ALREADY_ENROLLED
    }

    /**
     * Which rules a caller may relax.
     *
     * @param allowDuplicate the face may match another person ({@code allow_duplicate})
     * @param allowMismatch  the face may differ from the person's own samples ({@code allow_mismatch})
     * @param samePhoto      what a photo already enrolled for the person means
     * @param qualityGate    false: the photo's quality is reported, never refused (photos the old system accepted)
     */
    public record Rules(boolean allowDuplicate, boolean allowMismatch, SamePhoto samePhoto, boolean qualityGate) {
        public Rules {
            Objects.requireNonNull(samePhoto, "samePhoto");
        }

        /** An HTTP enrollment: a photo sent twice is refused. */
        public static Rules request(boolean allowDuplicate, boolean allowMismatch) {
            return new Rules(allowDuplicate, allowMismatch, SamePhoto.REFUSE, true);
        }

        /** A job that may run again: a photo it enrolled before counts as enrolled. */
        public static Rules job(boolean allowDuplicate) {
            return new Rules(allowDuplicate, false, SamePhoto.ALREADY_ENROLLED, true);
        }
    }

    /**
     * One photo to enroll.
     *
     * @param personName   the person's name, or null to keep the school database's
     * @param originalName file name stored with the sample, or null
     * @param contentType  image media type stored with the sample, or null
     * @param origin       the request or job that asked, recorded on the gallery change for tracing
     */
    public record Request(PersonRef person, String personName, byte[] image, String originalName, String contentType,
                          Rules rules, String origin) {
        public Request {
            Objects.requireNonNull(person, "person");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(rules, "rules");
        }
    }

    /**
     * A caller's own bookkeeping of the samples it enrolls, written in the same transactions as the samples, so that a
     * crash can never leave a sample without its record or a record without its sample.
     */
    public interface WriteHook {
        /** Records nothing. */
        WriteHook NONE = new WriteHook() {
            @Override
            public void stored(long sampleId) {
            }

            @Override
            public void withdrawn(long sampleId) {
            }
        };

        /** Runs inside the transaction that inserts the sample, after the insert; throwing rolls the insert back. */
        void stored(long sampleId);

        /**
         * Runs inside the transaction that deletes the sample again because its gallery change could not be published.
         */
        void withdrawn(long sampleId);
    }

    /**
     * A dry run's enrollments: the gallery as it would be after them, held in memory only. {@link #rehearse} applies
     * every rule to it exactly as {@link #enroll} applies them to the worker's gallery, so a dry run counts what the
     * real run will do; nothing is written to the database and nothing is published.
     */
    public static final class Rehearsal {
        private final Gallery gallery;
        /** Per person, the SHA-256 of each rehearsed photo and the sample id it was given. */
        private final Map<PersonRef, Map<String, Long>> photos = new HashMap<>();
        private final Map<PersonRef, Integer> added = new HashMap<>();
        /** Negative: never a {@code FaceData.Id}. */
        private long nextSampleId = -1;

        /** @param gallery a gallery of its own, loaded with what is enrolled now; the rehearsal adds to it */
        public Rehearsal(Gallery gallery) {
            this.gallery = gallery;
        }
    }

    /**
     * The enrolled sample.
     *
     * @param galleryVersion  position of the published gallery event; null when nothing new was written
     * @param quality         the photo's quality report; null when nothing new was written
     * @param alreadyEnrolled true when the photo was found already enrolled ({@link SamePhoto#ALREADY_ENROLLED})
     * @param previousName    the person's name before this enrollment renamed them; null when it did not
     * @param embedding       the enrolled embedding; null when nothing new was written
     *                        ({@link #rehearse}: the sample id is negative and nothing was written at all)
     */
    public record Enrolled(PersonRef person, String personName, long sampleId, int samples, Long galleryVersion,
                           QualityReport quality, boolean alreadyEnrolled, String previousName, float[] embedding) {

        /** Never the embedding: it is biometric data. */
        @Override
        public String toString() {
            return "Enrolled[person=" + person + ", sampleId=" + sampleId + ", samples=" + samples
                    + ", alreadyEnrolled=" + alreadyEnrolled + "]";
        }
    }

    /** @param settingsOf the rules' settings for a pack @param decisionOf the recognition decision for a pack */
    public FaceEnrollment(Function<ModelPack, EnrollmentSettings> settingsOf, Function<ModelPack, OpenSetDecision> decisionOf,
                          ActivePack packs, Photos photos, DatabaseAccess db, FaceRepository faces, PersonRepository persons) {
        this.checks = new EnrollmentChecks(settingsOf, decisionOf);
        this.packs = packs;
        this.photos = photos;
        this.db = db;
        this.faces = faces;
        this.persons = persons;
    }

    /**
     * @throws RollcallException with the code of the rule the photo breaks, or {@code MODEL_NOT_LOADED},
     *                           {@code DATABASE_ERROR}, {@code SERVICE_UNAVAILABLE} when the service cannot enroll
     */
    public Enrolled enroll(Request r) {
        return enroll(r, WriteHook.NONE);
    }

    /**
     * As {@link #enroll(Request)}, with {@code hook} run inside the transaction that stores the new sample (and inside
     * the one that withdraws it, should its gallery change fail). Not run for a photo already enrolled.
     */
    public Enrolled enroll(Request r, WriteHook hook) {
        PersonRef person = r.person();
        OptionalLong known = faces.findSameImage(person, r.image());
        if (known.isPresent()) {
            return samePhoto(r, known.getAsLong());
        }
        PackRuntime runtime = packs.current();
        GallerySync sync = runtime.sync();
        FaceEngine engine = runtime.engines().engine();
        FaceEngine.Enrollment enrollment = embed(r, engine);
        checks.compare(r, enrollment.embedding(), sync.gallery(), runtime.pack());
        String pack = engine.pack().name();
        record Written(long id, int samples, boolean alreadyThere, String previousName) {
        }
        // The key PersonRepository locks too (re-entered below): one lock row per person.
        Written written = db.writeExclusively("enroll a face", "person:" + person, () -> {
            // Checked again under the lock: another worker may have enrolled this photo since the first look.
            OptionalLong same = faces.findSameImage(person, r.image());
            if (same.isPresent()) {
                return new Written(same.getAsLong(), -1, true, null);
            }
            int existing = faces.countSamples(person);
            checks.refuseBeyondSampleLimit(person, existing, runtime.pack());
            // No name: the person is left as the school has them, with or without a Student/Teacher row.
            boolean created = r.personName() != null && persons.createIfMissing(person, r.personName());
            Optional<String> renamedFrom = created || r.personName() == null ? Optional.empty() : persons.rename(person, r.personName());
            long id = faces.insert(new NewFaceSample(person, r.image(), new FaceDescriptor(pack, enrollment.embedding()),
                    r.originalName(), r.contentType()));
            hook.stored(id);
            return new Written(id, existing + 1, false, renamedFrom.orElse(null));
        });
        if (written.alreadyThere()) {
            return samePhoto(r, written.id());
        }
        String name = persons.find(person).map(p -> p.name()).orElse(r.personName());
        long version;
        try {
            version = sync.announce(new GalleryEvent.SampleAdded(written.id(), person, name, pack, enrollment.embedding(), r.origin()));
        } catch (RollcallException e) {
            // Without its gallery event, other workers would never learn of the sample: undo it rather than leave
            // an enrollment that is half there. (A rename stays: it is the school's record, and true either way.)
            db.write("withdraw a face sample", () -> {
                faces.delete(written.id());
                hook.withdrawn(written.id());
                return null;
            });
            throw e;
        }
        packs.secondary().enrolled(written.id(), person, name, r.image(), r.origin());
        return new Enrolled(person, name, written.id(), written.samples(), version, enrollment.quality(), false,
                written.previousName(), enrollment.embedding());
    }

    /**
     * What {@link #enroll} would do with this photo, given the enrollments rehearsed before it: the same rules in the
     * same order, against the rehearsal's gallery and the database as it is, with nothing written or published. A
     * photo that passes is added to the rehearsal; it then has a negative sample id.
     *
     * @throws RollcallException as {@link #enroll}
     */
    public Enrolled rehearse(Request r, Rehearsal rehearsal) {
        PersonRef person = r.person();
        String digest = sha256Hex(r.image());
        OptionalLong known = faces.findSameImage(person, r.image());
        if (known.isPresent()) {
            return samePhoto(r, known.getAsLong());
        }
        Map<String, Long> rehearsed = rehearsal.photos.computeIfAbsent(person, p -> new HashMap<>());
        if (rehearsed.containsKey(digest)) {
            return samePhoto(r, rehearsed.get(digest));
        }
        PackRuntime runtime = packs.current();
        FaceEngine engine = runtime.engines().engine();
        FaceEngine.Enrollment enrollment = embed(r, engine);
        checks.compare(r, enrollment.embedding(), rehearsal.gallery, runtime.pack());
        int existing = faces.countSamples(person) + rehearsal.added.getOrDefault(person, 0);
        checks.refuseBeyondSampleLimit(person, existing, runtime.pack());
        long id = rehearsal.nextSampleId--;
        String name = persons.find(person).map(p -> p.name()).orElse(r.personName());
        rehearsal.gallery.put(id, person, name, enrollment.embedding());
        rehearsed.put(digest, id);
        rehearsal.added.merge(person, 1, Integer::sum);
        return new Enrolled(person, name, id, existing + 1, null, enrollment.quality(), false, null, enrollment.embedding());
    }

    private FaceEngine.Enrollment embed(Request r, FaceEngine engine) {
        try (DecodedImage decoded = photos.decode(r.image())) {
            return engine.enrollmentEmbedding(decoded, r.rules().qualityGate());
        }
    }

    private Enrolled samePhoto(Request r, long sampleId) {
        PersonRef person = r.person();
        if (r.rules().samePhoto() == SamePhoto.REFUSE) {
            throw new RollcallException(ErrorCode.DUPLICATE_ENROLLMENT, "This photo is already enrolled for " + person,
                    Map.of("same_photo", true, "embedding_id", sampleId, "person_type", person.type().wireName(),
                            "person_code", person.code()));
        }
        String name = persons.find(person).map(p -> p.name()).orElse(r.personName());
        return new Enrolled(person, name, sampleId, faces.countSamples(person), null, null, true, null, null);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

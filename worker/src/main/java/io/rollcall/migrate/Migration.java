package io.rollcall.migrate;

import io.rollcall.enroll.FaceEnrollment;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.gallery.GallerySync;
import io.rollcall.gallery.LocalGalleryFeed;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.inference.ActivePack;
import io.rollcall.json.Json;
import io.rollcall.person.PersonRef;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.storage.DecodedDescriptor;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.MigratedSample;
import io.rollcall.storage.MigrationBatch;
import io.rollcall.storage.MigrationCandidate;
import io.rollcall.storage.MigrationRepository;
import io.rollcall.storage.PhotoSource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the old system's enrollments to the configured pack: every selected person's photos, oldest first, go
 * through {@link FaceEnrollment} with the migration's rules, each new row recorded with the run's batch id in the
 * transaction that inserts it.
 *
 * <ul>
 *   <li><b>Who:</b> everyone the old system knows ({@link MigrationRepository#candidates}) whom the
 *       {@link MigrationOptions} select and who has no sample of the pack yet, or was left half-done by a run that
 *       stopped; at most {@code limit} of them.</li>
 *   <li><b>Rules</b> ({@link #RULES}): duplicates and mismatches are refused and counted, never forced; a photo
 *       already enrolled for the person counts as done; quality is reported, never refused (the old system accepted
 *       these photos).</li>
 *   <li><b>Safe to repeat:</b> a person is recorded as finished once every photo of theirs was tried; a run that stops
 *       leaves the person half-done and the next run resumes them with the photos not yet migrated. A job delivered
 *       again runs under the same batch id and finds its people where it left them.</li>
 *   <li><b>Never destructive:</b> old rows are only read; nobody's name or row is created or changed (the enrollment
 *       gets no name). {@link #rollback} deletes exactly the rows a batch created.</li>
 *   <li><b>Dry run:</b> every rule runs on every photo against an in-memory copy of the gallery
 *       ({@link FaceEnrollment.Rehearsal}), so the counts are the real run's; nothing is written or published.</li>
 * </ul>
 */
public final class Migration {
    private static final Logger log = LoggerFactory.getLogger(Migration.class);

    /** Duplicate and mismatch checks on, a photo migrated before counts as done, quality reported but never refusing. */
    public static final FaceEnrollment.Rules RULES =
            new FaceEnrollment.Rules(false, false, FaceEnrollment.SamePhoto.ALREADY_ENROLLED, false);

    private final FaceEnrollment enrollment;
    private final MigrationRepository repository;
    private final ActivePack packs;
    private final GalleryRepository galleryRepository;
    private final Function<ModelPack, OpenSetDecision> decisionOf;
    private final double strangerRate;

    /**
     * @param packs        the active pack, whose gallery the enrollments go to (a worker's, or one on a {@link LocalGalleryFeed})
     * @param decisionOf   the open-set decision the service recognises with for a pack, for the report's threshold in force
     * @param strangerRate {@code OPEN_SET_FALSE_ACCEPT_RATE}, for the threshold the school's own photos recommend
     */
    public Migration(FaceEnrollment enrollment, MigrationRepository repository, ActivePack packs,
                     GalleryRepository galleryRepository, Function<ModelPack, OpenSetDecision> decisionOf,
                     double strangerRate) {
        this.enrollment = enrollment;
        this.repository = repository;
        this.packs = packs;
        this.galleryRepository = galleryRepository;
        this.decisionOf = decisionOf;
        this.strangerRate = strangerRate;
    }

    /**
     * Runs the migration until every selected person is done, or {@code stop} says to stop (asked between people).
     *
     * @param batchId  the run's id, recorded with every row it creates; a job delivered again passes the same one
     * @param progress told after every person
     * @return the report; empty when stopped first (what was done stays done, and the next run resumes)
     * @throws RollcallException {@code DATABASE_ERROR}, {@code MODEL_NOT_LOADED} or {@code SERVICE_UNAVAILABLE} when
     *                           the service cannot go on; what was written stays written and a new run resumes it
     */
    public Optional<MigrationReport> run(String batchId, MigrationOptions options, Consumer<MigrationProgress> progress,
                                         BooleanSupplier stop) {
        Gallery gallery = packs.current().sync().gallery();
        String pack = gallery.modelPack();
        List<MigrationCandidate> candidates = repository.candidates(pack, gallery.dimension(), batchId);
        List<MigrationCandidate> selected = select(candidates, options);
        log.info("Migration {}{} to {}: {} of {} people selected ({})", batchId, options.dryRun() ? " (dry run)" : "",
                pack, selected.size(), candidates.size(), options.describe());
        FaceEnrollment.Rehearsal rehearsal = null;
        if (options.dryRun()) {
            rehearsal = new FaceEnrollment.Rehearsal(galleryNow(gallery));
        } else {
            repository.startBatch(batchId, pack, Json.MAPPER.writeValueAsString(options.describe()));
        }
        MigrationTally tally = new MigrationTally(selected.size(), gallery.size());
        progress.accept(tally.progress());
        for (MigrationCandidate person : selected) {
            if (stop.getAsBoolean()) {
                log.info("Migration {} stopped after {} of {} people; the next run resumes", batchId, tally.done(), selected.size());
                return Optional.empty();
            }
            migrate(batchId, person, pack, rehearsal, tally);
            progress.accept(tally.progress());
        }
        MigrationReport report = tally.report(batchId, options, pack, unknownCodes(candidates, options),
                decisionOf.apply(packs.current().pack()), strangerRate);
        if (!options.dryRun()) {
            repository.finishBatch(batchId, Json.MAPPER.writeValueAsString(report));
        }
        log.info("Migration {} {}: {} of {} people migrated, {} rows created, {} without a usable photo, skipped {}",
                batchId, options.dryRun() ? "dry run ended" : "completed", report.migrated(), report.personsTotal(),
                report.samplesCreated(), report.withoutUsablePhoto(), report.skipped());
        return Optional.of(report);
    }

    /** People who already belong to this batch first (a job run again), then the rest, as far as the limit goes. */
    private static List<MigrationCandidate> select(List<MigrationCandidate> candidates, MigrationOptions options) {
        // A dry run records no batch, so nothing can belong to it.
        Predicate<MigrationCandidate> ofThisBatch = c -> c.inBatch() && !options.dryRun();
        List<MigrationCandidate> chosen = Stream.concat(
                        candidates.stream().filter(ofThisBatch),
                        candidates.stream().filter(ofThisBatch.negate()).filter(c -> !c.enrolled() || c.unfinished()))
                .filter(options::selects)
                .toList();
        return options.limit() == null || chosen.size() <= options.limit() ? chosen : chosen.subList(0, options.limit());
    }

    /** A gallery of the rehearsal's own, as every worker's is: everything of the pack in the database now. */
    private Gallery galleryNow(Gallery live) {
        Gallery copy = new Gallery(live.modelPack(), live.dimension());
        new GallerySync(copy, galleryRepository, new LocalGalleryFeed()).close();
        return copy;
    }

    /** Every photo of one person, in order; finished (recorded) once all were tried. */
    private void migrate(String batchId, MigrationCandidate person, String pack, FaceEnrollment.Rehearsal rehearsal,
                         MigrationTally tally) {
        PersonRef ref = person.person();
        Map<String, MigratedSample> earlier = new LinkedHashMap<>();
        for (MigratedSample s : repository.migratedSamples(ref)) {
            if (s.descriptor() instanceof DecodedDescriptor.Rollcall(FaceDescriptor d) && d.model().equals(pack)) {
                earlier.put(s.source().label(), s);
            }
        }
        MigrationTally.Outcome outcome = new MigrationTally.Outcome();
        for (PhotoSource photo : person.photos()) {
            MigratedSample before = earlier.remove(photo.label());
            if (before != null) {
                outcome.kept(embedding(before));
                continue;
            }
            Optional<byte[]> image = repository.photo(photo);
            if (image.isEmpty()) {
                outcome.skip(SkipReason.UNREADABLE);
                continue;
            }
            FaceEnrollment.Request request = new FaceEnrollment.Request(ref, null, image.get(),
                    photo.originalName() != null ? photo.originalName() : photo.label(), photo.contentType(), RULES, batchId);
            try {
                FaceEnrollment.Enrolled enrolled = rehearsal != null ? enrollment.rehearse(request, rehearsal)
                        : enrollment.enroll(request, new BatchRecord(batchId, ref, photo));
                if (enrolled.alreadyEnrolled()) {
                    outcome.skip(SkipReason.SAME_PHOTO);
                } else {
                    outcome.created(enrolled.embedding());
                    tally.quality(enrolled.quality().recommendation().wireName());
                }
            } catch (RollcallException e) {
                SkipReason reason = SkipReason.of(e).orElseThrow(() -> e);
                log.info("Migration {}: {} {} not migrated: {} {}", batchId, ref, photo.label(), e.code(), e.getMessage());
                outcome.skip(reason);
            }
        }
        // Rows of an earlier run whose old photo has gone since still count: the person is recognisable with them.
        earlier.values().forEach(s -> outcome.kept(embedding(s)));
        if (person.photos().isEmpty() && outcome.embeddings().isEmpty()) {
            outcome.skip(SkipReason.NO_PHOTO);
        }
        if (rehearsal == null) {
            repository.finishPerson(batchId, ref, outcome.embeddings().size());
        }
        tally.add(person, outcome);
    }

    private static float[] embedding(MigratedSample sample) {
        return ((DecodedDescriptor.Rollcall) sample.descriptor()).descriptor().embedding();
    }

    /**
     * Deletes exactly the rows the batch created, person by person, and tells every worker's gallery (through the
     * gallery feed; with a {@link LocalGalleryFeed}, workers follow by reconciliation). Old rows, people and every
     * other row are left as they are. Safe to repeat: a second rollback finds nothing left.
     *
     * @throws RollcallException {@code NOT_FOUND} for a batch that never ran (or was a dry run)
     */
    public RollbackReport rollback(String batchId, Consumer<MigrationProgress> progress, String origin) {
        MigrationBatch batch = repository.batch(batchId).orElseThrow(() -> new RollcallException(ErrorCode.NOT_FOUND,
                "No migration batch " + batchId + " (a dry run records none)", Map.of("batch_id", batchId)));
        List<PersonRef> persons = repository.batchPersons(batchId);
        GallerySync sync = packs.current().sync();
        String pack = sync.gallery().modelPack();
        int deleted = 0;
        int done = 0;
        int rolledBack = 0;
        progress.accept(new MigrationProgress(persons.size(), 0, 0, 0));
        for (PersonRef person : persons) {
            List<Long> ids = repository.rollBackPerson(batchId, person);
            for (long id : ids) {
                sync.announce(new GalleryEvent.SampleRemoved(id, person, pack, origin));
            }
            deleted += ids.size();
            rolledBack += ids.isEmpty() ? 0 : 1;
            progress.accept(new MigrationProgress(persons.size(), ++done, rolledBack, 0));
        }
        repository.markRolledBack(batchId);
        log.info("Migration batch {} rolled back: {} rows of {} people deleted", batchId, deleted, persons.size());
        return RollbackReport.of(batchId, persons.size(), deleted, batch.rolledBackAt() != null);
    }

    private Set<String> unknownCodes(List<MigrationCandidate> candidates, MigrationOptions options) {
        Set<String> known = new HashSet<>();
        candidates.forEach(c -> known.add(c.person().code()));
        return options.codes().stream().filter(c -> !known.contains(c)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Writes the batch's record of each new row inside the row's own transaction. */
    private final class BatchRecord implements FaceEnrollment.WriteHook {
        private final String batchId;
        private final PersonRef person;
        private final PhotoSource photo;

        BatchRecord(String batchId, PersonRef person, PhotoSource photo) {
            this.batchId = batchId;
            this.person = person;
            this.photo = photo;
        }

        @Override
        public void stored(long sampleId) {
            repository.recordSample(batchId, sampleId, person, photo);
        }

        @Override
        public void withdrawn(long sampleId) {
            repository.forgetSample(sampleId);
        }
    }
}

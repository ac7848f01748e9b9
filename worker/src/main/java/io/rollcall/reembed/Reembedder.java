package io.rollcall.reembed;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.storage.DecodedDescriptor;
import io.rollcall.storage.DescriptorRepository;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.StoredDescriptor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-embeds every stored sample whose descriptor is of another pack than the configured one, from its stored
 * photo, and rewrites the descriptor in place.
 *
 * <ul>
 *   <li><b>Resumable and idempotent:</b> each sample is written in its own short transaction as soon as it is
 *       embedded; a run that stops half-way leaves every finished sample current, and the next run skips them.</li>
 *   <li><b>Never destructive:</b> a row without a photo, whose photo no longer yields a usable face, or whose type
 *       and code denote nobody, is reported and left as it is. Legacy descriptors (the Node.js system's 128-number
 *       arrays, unreadable values) are never rewritten even when the row has a photo: the old system still reads
 *       them from the shared table, and overwriting would lose its only copy.</li>
 *   <li><b>Failures:</b> a photo problem is a skip; a database failure ends the run ({@code DATABASE_ERROR}, the
 *       next run resumes); any other failure of one sample is recorded as failed and the run goes on.</li>
 * </ul>
 *
 * <p>Workers running meanwhile keep their in-memory gallery; the new descriptors take effect when they restart
 * with the configured pack.
 */
public final class Reembedder {
    private static final Logger log = LoggerFactory.getLogger(Reembedder.class);

    /** Rows per scan page: small enough that a page's descriptors are a few MB, large enough to cost few queries. */
    static final int PAGE_SIZE = 200;

    private final DescriptorRepository samples;
    private final PhotoEmbedder embedder;

    public Reembedder(DescriptorRepository samples, PhotoEmbedder embedder) {
        this.samples = samples;
        this.embedder = embedder;
    }

    /**
     * Runs once over the rows {@code options} select.
     *
     * @param progress receives the counts so far after every {@code options.progressEvery()} scanned rows
     * @throws RollcallException {@code DATABASE_ERROR} when the database fails; what was written stays written
     */
    public ReembedReport run(ReembedOptions options, Consumer<ReembedReport> progress) {
        Tally tally = new Tally(embedder.model(), options.dryRun());
        long afterId = 0;
        for (List<StoredDescriptor> page = samples.page(options.only(), afterId, PAGE_SIZE); !page.isEmpty();
             page = samples.page(options.only(), afterId, PAGE_SIZE)) {
            for (StoredDescriptor row : page) {
                handle(row, options.dryRun(), tally);
                afterId = row.sampleId();
                if (tally.scanned % options.progressEvery() == 0) {
                    progress.accept(tally.report());
                }
            }
        }
        ReembedReport report = tally.report();
        log.info("Re-embedding to {}{}: {} scanned, {} re-embedded, {} already current, {} skipped, {} failed",
                report.model(), report.dryRun() ? " (dry run)" : "", report.scanned(), report.reembedded(),
                report.alreadyCurrent(), report.skippedTotal(), report.failed().size());
        return report;
    }

    private void handle(StoredDescriptor row, boolean dryRun, Tally tally) {
        tally.scanned++;
        if (row.isOf(embedder.model(), embedder.dim())) {
            tally.alreadyCurrent++;
            return;
        }
        if (row.descriptor() instanceof DecodedDescriptor.Legacy) {
            tally.skip(row, SkipReason.LEGACY_DESCRIPTOR, null);
            return;
        }
        if (row.person().isEmpty()) {
            tally.skip(row, SkipReason.NOT_A_PERSON, "type or code denotes no student or teacher");
            return;
        }
        if (!row.hasImage()) {
            tally.skip(row, SkipReason.NO_IMAGE, "no stored photo; re-enroll this person");
            return;
        }
        if (dryRun) {
            tally.reembedded++;
            return;
        }
        Optional<byte[]> photo = samples.image(row.sampleId());
        if (photo.isEmpty()) {
            tally.skip(row, SkipReason.DELETED_MEANWHILE, "the row or its photo went after the scan");
            return;
        }
        float[] embedding;
        try {
            embedding = embedder.embed(photo.get());
        } catch (RollcallException e) {
            Optional<SkipReason> reason = photoProblem(e.code());
            if (reason.isEmpty()) {
                tally.fail(row, e);
                return;
            }
            tally.skip(row, reason.get(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            tally.fail(row, e);
            return;
        }
        if (samples.replaceDescriptor(row.sampleId(), new FaceDescriptor(embedder.model(), embedding))) {
            tally.reembedded++;
        } else {
            tally.skip(row, SkipReason.DELETED_MEANWHILE, "the row went after the scan");
        }
    }

    /** The engine's errors that are about the photo itself, and so a skip rather than a failure. */
    private static Optional<SkipReason> photoProblem(ErrorCode code) {
        return switch (code) {
            case INVALID_IMAGE, IMAGE_TOO_LARGE -> Optional.of(SkipReason.UNREADABLE_IMAGE);
            case NO_FACE_DETECTED -> Optional.of(SkipReason.NO_FACE_DETECTED);
            case MULTIPLE_FACES -> Optional.of(SkipReason.MULTIPLE_FACES);
            default -> Optional.empty();
        };
    }

    /** The running counts of one run. */
    private static final class Tally {
        private final String model;
        private final boolean dryRun;
        private final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
        private final List<SkippedSample> skippedSamples = new ArrayList<>();
        private final List<FailedSample> failed = new ArrayList<>();
        private int scanned;
        private int reembedded;
        private int alreadyCurrent;

        Tally(String model, boolean dryRun) {
            this.model = model;
            this.dryRun = dryRun;
        }

        void skip(StoredDescriptor row, SkipReason reason, String detail) {
            skipped.merge(reason, 1, Integer::sum);
            if (reason != SkipReason.LEGACY_DESCRIPTOR) {
                skippedSamples.add(new SkippedSample(row.sampleId(), row.personLabel(), reason, detail));
            }
        }

        void fail(StoredDescriptor row, RuntimeException e) {
            log.warn("Re-embedding FaceData {} failed: {}", row.sampleId(), e.toString());
            failed.add(new FailedSample(row.sampleId(), row.personLabel(),
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
        }

        ReembedReport report() {
            return new ReembedReport(model, dryRun, scanned, reembedded, alreadyCurrent, skipped, skippedSamples, failed);
        }
    }
}

package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import io.rollcall.storage.DatabasePrint;
import io.rollcall.storage.GalleryRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gallery true to a database that other programs write too. The gallery events only carry Rollcall's own
 * changes; the Node.js system, a DBA or an offline Rollcall command may insert, delete or move {@code FaceData}
 * rows, or rename people, at any time. Every {@code interval} this asks the database for a {@link DatabasePrint}
 * (row counts and hashes per bucket of ids, computed by the database from an index, never reading a descriptor) and
 * re-reads only the buckets whose numbers changed since the last look: rows gone are removed, rows moved to
 * another person are reassigned, and rows new to this worker are loaded. Names are re-read when a person table
 * changed. Every worker does this on its own and converges on the same gallery: the database's.
 *
 * <p>Cost: one grouped index scan per interval (see the README's measurements at 10,000 and 1,000,000 rows), and work
 * proportional to what changed. A descriptor rewritten in place without any change to its row's id or person is
 * not seen; Rollcall's own rewrites (pack changes) announce themselves.
 */
public final class GalleryReconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GalleryReconciler.class);

    private final GallerySync sync;
    private final GalleryRepository repository;
    private final Duration interval;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;
    private DatabasePrint previous;
    private volatile Outcome last;

    /**
     * What one pass found and did.
     *
     * @param at             when it finished
     * @param changedBuckets buckets of ids whose numbers had changed
     * @param added          samples loaded that this worker did not hold
     * @param removed        samples removed because their rows are gone
     * @param reassigned     samples given to another person
     * @param namesReloaded  whether a person table had changed and names were read again
     * @param took           how long the pass took
     */
    public record Outcome(Instant at, int changedBuckets, int added, int removed, int reassigned, boolean namesReloaded,
                          Duration took) {
        /** Samples and names this pass changed. */
        public int changes() {
            return added + removed + reassigned + (namesReloaded ? 1 : 0);
        }
    }

    /** @param interval how often; zero or negative: never (the pass can still be run by {@link #reconcileNow}) */
    public GalleryReconciler(GallerySync sync, Duration interval, Clock clock) {
        this.sync = sync;
        this.repository = sync.repository();
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = clock;
        this.previous = sync.loadedPrint();
        if (sync.restoredFromSnapshot()) {
            // Before the worker serves: whatever changed while it was down (rows, persons, names) is applied now.
            Outcome caughtUp = reconcileNow();
            if (caughtUp.added() + caughtUp.removed() + caughtUp.reassigned() > 0) {
                // Kept at once, beside serving: the snapshot is otherwise written only at a clean stop, so a worker
                // that crashed or was killed took up the same changes again at every start (200,000 rows loaded
                // behind a worker's back: 19.5 s of every restart on the 2-core Xeon, docs/benchmarks.md).
                Thread.ofVirtual().name("gallery-snapshot").start(sync::keepSnapshot);
            }
        }
        this.thread = interval.isPositive()
                ? Thread.ofPlatform().name("gallery-reconcile").daemon().start(this::run) : null;
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
                reconcileNow();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database may be down; the gallery stays as it is and the next pass tries again.
                log.warn("Gallery reconciliation failed, retrying in {}: {}", interval, e.getMessage());
            }
        }
    }

    /** The last pass's outcome; empty before the first. */
    public Optional<Outcome> last() {
        return Optional.ofNullable(last);
    }

    /** Runs one pass now. @throws io.rollcall.error.RollcallException {@code DATABASE_ERROR} */
    public synchronized Outcome reconcileNow() {
        long start = System.nanoTime();
        Set<Long> unread = sync.takeUnread();
        Outcome outcome;
        try {
            outcome = sync.reconcile(changes -> pass(changes, unread, start));
        } catch (RuntimeException e) {
            sync.giveBackUnread(unread);
            throw e;
        }
        last = outcome;
        if (outcome.changes() > 0) {
            log.info("Gallery reconciled with the database: {} bucket(s) changed, {} added, {} removed, {} reassigned{} in {} ms",
                    outcome.changedBuckets(), outcome.added(), outcome.removed(), outcome.reassigned(),
                    outcome.namesReloaded() ? ", names re-read," : "", outcome.took().toMillis());
        }
        return outcome;
    }

    /** @param unread samples whose announced rows could not be read: their buckets are read as if changed */
    private Outcome pass(GalleryWrites.Reconciliation changes, Set<Long> unread, long start) {
        DatabasePrint now = repository.print();
        Set<Long> buckets = new TreeSet<>(changedBuckets(previous, now));
        unread.forEach(id -> buckets.add(id / DatabasePrint.BUCKET_IDS));
        List<Long> changed = List.copyOf(buckets);
        Counts counts = new Counts();
        for (long[] range : ranges(changed)) {
            reconcileRange(range[0], range[1], changes, counts);
        }
        boolean namesChanged = !now.people().equals(previous.people());
        if (namesChanged) {
            changes.names(repository.names());
        }
        previous = now;
        sync.reconciledTo(now);
        return new Outcome(clock.instant(), changed.size(), counts.added, counts.removed, counts.reassigned, namesChanged,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static final class Counts {
        int added;
        int removed;
        int reassigned;
    }

    /** Compares the rows with ids in {@code [from, to]} with the samples the gallery holds there. */
    private void reconcileRange(long from, long to, GalleryWrites.Reconciliation changes, Counts counts) {
        Gallery gallery = sync.gallery();
        Map<Long, Optional<PersonRef>> rows = repository.personsBetween(from, to);
        Map<Long, PersonRef> held = gallery.samplesWhere(id -> id >= from && id <= to);
        Set<PersonRef> moved = new HashSet<>();
        Map<Long, PersonRef[]> reassignments = new HashMap<>();
        for (Map.Entry<Long, PersonRef> sample : held.entrySet()) {
            Optional<PersonRef> row = rows.getOrDefault(sample.getKey(), Optional.empty());
            if (row.isEmpty()) {
                if (changes.remove(sample.getKey(), sample.getValue())) {
                    counts.removed++;
                }
            } else if (!row.get().equals(sample.getValue())) {
                reassignments.put(sample.getKey(), new PersonRef[] {sample.getValue(), row.get()});
                moved.add(row.get());
            }
        }
        Set<Long> unknown = new TreeSet<>();
        Set<PersonRef> newPersons = new HashSet<>(moved);
        rows.forEach((id, person) -> {
            if (!held.containsKey(id) && person.isPresent()) {
                unknown.add(id);
                newPersons.add(person.get());
            }
        });
        Map<PersonRef, String> names = newPersons.isEmpty() ? Map.of() : repository.namesOf(newPersons);
        reassignments.forEach((id, persons) -> {
            if (changes.reassign(id, persons[0], persons[1], names.get(persons[1]))) {
                counts.reassigned++;
            }
        });
        if (!unknown.isEmpty()) {
            // Old-system rows and rows of other packs are read again here each time their bucket changes and are
            // skipped by the load's own classification; only samples of this gallery's pack are added.
            List<GallerySample> found = new ArrayList<>();
            Map<Long, String> foundNames = new HashMap<>();
            repository.loadBetween(gallery.modelPack(), gallery.dimension(), from, to, unknown::contains, names,
                    (sampleId, person, name, embedding) -> {
                        found.add(new GallerySample(sampleId, person, embedding.clone())); // the loader reuses its array
                        foundNames.put(sampleId, name);
                    });
            for (GallerySample sample : found) {
                if (changes.add(sample.sampleId(), sample.person(), foundNames.get(sample.sampleId()), sample.embedding())) {
                    counts.added++;
                }
            }
        }
    }

    /** Buckets whose numbers differ, or that exist on one side only. */
    static List<Long> changedBuckets(DatabasePrint before, DatabasePrint now) {
        Set<Long> all = new TreeSet<>(before.buckets().keySet());
        all.addAll(now.buckets().keySet());
        List<Long> changed = new ArrayList<>();
        for (long bucket : all) {
            if (!Objects.equals(before.buckets().get(bucket), now.buckets().get(bucket))) {
                changed.add(bucket);
            }
        }
        return changed;
    }

    /** Buckets merged into one range at most: 65,536 ids, so that even a bulk change is read in bounded pieces. */
    static final int MAX_RANGE_BUCKETS = 16;

    /** Sorted buckets as id ranges, adjacent buckets merged (up to {@link #MAX_RANGE_BUCKETS}), so that a bulk change reads few ranges. */
    static List<long[]> ranges(List<Long> buckets) {
        List<long[]> ranges = new ArrayList<>();
        for (long bucket : buckets) {
            long[] lastRange = ranges.isEmpty() ? null : ranges.getLast();
            if (lastRange != null && lastRange[1] + 1 == DatabasePrint.firstId(bucket)
                    && lastRange[1] + 1 - lastRange[0] < (long) MAX_RANGE_BUCKETS * DatabasePrint.BUCKET_IDS) {
                lastRange[1] = DatabasePrint.lastId(bucket);
            } else {
                ranges.add(new long[] {DatabasePrint.firstId(bucket), DatabasePrint.lastId(bucket)});
            }
        }
        return ranges;
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

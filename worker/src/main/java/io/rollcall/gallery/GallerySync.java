package io.rollcall.gallery;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import io.rollcall.storage.DatabasePrint;
import io.rollcall.storage.GalleryLoadSummary;
import io.rollcall.storage.GalleryRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker's {@link Gallery} equal to the database across all workers.
 *
 * <p>At start: note the end of the {@link GalleryFeed}, load every current-pack embedding from the database, then
 * apply every event from the noted position on. An event is published only after its database commit, so anything
 * committed before the load is in it, and anything published after the noted position is replayed; replaying an
 * event already in the load is harmless (add replaces, removing the absent is a no-op).
 *
 * <p>With a {@link GallerySnapshot}, the load reads the snapshot instead when it agrees with the database, and the
 * first reconciliation compares the id ranges that changed since the snapshot's print with the database before the
 * worker serves ({@link #restoredFromSnapshot}); the snapshot is written again after a full load and at
 * {@link #close}, with the print the gallery was last known equal to ({@link #reconciledTo}).
 *
 * <p>Read-your-writes: an enroll or delete replies only after its event is in the feed. {@link #startCatchUp}
 * asks for the feed's current end and waits until this worker has applied everything before it, so a recognition
 * that starts after any enroll or delete returned, on any worker, sees it.
 */
public final class GallerySync implements GalleryFeed.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GallerySync.class);

    private final Gallery gallery;
    private final GalleryFeed feed;
    private final GalleryRepository repository;
    private final Object applied = new Object();
    /** Serialises changes to the gallery: events, and what a reconciliation finds (see {@link #reconcile}). */
    private final Object writes = new Object();
    /** The database's numbers taken just before the initial load: the first reconciliation compares with them. */
    private final DatabasePrint loadedPrint;
    /**
     * Samples another worker enrolled whose rows could not be read when their event came (the database was briefly
     * unavailable): the next reconciliation reads their buckets whether or not the database's numbers changed.
     */
    private final java.util.Set<Long> unread = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final GallerySnapshot snapshot;
    private final boolean restoredFromSnapshot;
    /** The database's print the gallery was last known equal to: at the load, then after each reconciliation. */
    private volatile DatabasePrint equalTo;
    /** Sample ids and persons events touched while a reconciliation runs; null when none runs. */
    private Touched touched;
    private volatile long nextPosition;
    private volatile RuntimeException failure;

    /** Loads the gallery from the database and starts following the feed. */
    public GallerySync(Gallery gallery, GalleryRepository repository, GalleryFeed feed) {
        this(gallery, repository, feed, null);
    }

    /**
     * Loads the gallery from {@code snapshot} when it agrees with the database, else from the database (and then
     * writes the snapshot), and starts following the feed.
     *
     * @param snapshot the snapshot file to use and keep, or null for none
     * @throws GalleryCapacity.GalleryTooLargeException when the gallery cannot fit in this JVM's heap
     */
    public GallerySync(Gallery gallery, GalleryRepository repository, GalleryFeed feed, GallerySnapshot snapshot) {
        this.gallery = gallery;
        this.feed = feed;
        this.repository = repository;
        this.snapshot = snapshot;
        long start = feed.end();
        // Before the load: whatever changes between the two is in the load and also changes the numbers, so the
        // first reconciliation looks at it again (harmlessly) rather than missing it.
        DatabasePrint print = repository.print();
        java.util.Optional<DatabasePrint> restored = snapshot == null ? java.util.Optional.empty() : snapshot.restore(gallery, repository);
        this.restoredFromSnapshot = restored.isPresent();
        if (restoredFromSnapshot) {
            // The snapshot is as old as its print: the first reconciliation compares the buckets changed since then.
            this.loadedPrint = restored.get();
        } else {
            this.loadedPrint = print;
            load(repository);
            if (snapshot != null) {
                snapshot.write(gallery, print);
            }
        }
        this.equalTo = loadedPrint;
        nextPosition = start;
        feed.follow(start, this);
    }

    /** Notes that the gallery now equals the database as {@code print} describes it (a reconciliation's result). */
    void reconciledTo(DatabasePrint print) {
        equalTo = print;
    }

    /** Whether the gallery came from a snapshot: then it must be reconciled with the database before serving. */
    public boolean restoredFromSnapshot() {
        return restoredFromSnapshot;
    }

    /**
     * Streams the rows straight into the gallery: the loader parses each descriptor into one reused array and the
     * gallery keeps only its 8-bit copy in the heap, so no intermediate list of vectors is ever held. The heap needed
     * is checked first, against every {@code FaceData} row and, where that is too coarse, against the pack's own.
     */
    private void load(GalleryRepository repository) {
        long upperBound = repository.countAllRows();
        long roughNeed = GalleryCapacity.bytesFor(upperBound, gallery.dimension());
        if (roughNeed > GalleryCapacity.freeBytes(false)) {
            // Only when it looks tight: a full collection for the live heap, and the pack's own rows (a table scan).
            long free = GalleryCapacity.freeBytes(true);
            if (roughNeed > free) {
                GalleryCapacity.require(gallery.modelPack(), repository.countRowsOf(gallery.modelPack(), gallery.dimension()),
                        gallery.dimension(), free);
            }
        }
        Map<PersonRef, String> names = new HashMap<>();
        GalleryLoadSummary summary;
        try {
            summary = repository.load(gallery.modelPack(), gallery.dimension(), (sampleId, person, name, embedding) -> {
                gallery.put(sampleId, person, null, embedding);
                if (name != null) {
                    names.put(person, name);
                }
            });
        } catch (OutOfMemoryError e) {
            // Only when other data filled the heap meanwhile: refuse with the numbers rather than die later.
            int loaded = gallery.size();
            gallery.clear();
            names.clear();
            GalleryCapacity.require(gallery.modelPack(), Math.max(loaded, upperBound), gallery.dimension(), 0);
            throw e;
        }
        gallery.putAll(List.of(), names);
        log.info("Gallery loaded from the database: {} samples of pack {} ({} legacy, {} of other packs, {} unusable, skipped)",
                summary.loaded(), gallery.modelPack(), summary.legacy(), summary.otherModel(), summary.unusable());
    }

    /**
     * Publishes a change this worker has committed to the database, then applies it here at once (the feed's copy
     * arrives later and changes nothing).
     *
     * @return the event's position: the gallery version that includes it
     * @throws RollcallException {@code SERVICE_UNAVAILABLE} when the feed refuses it; nothing is applied then
     */
    public long announce(GalleryEvent event) {
        long position = feed.publish(event);
        apply(event);
        return position;
    }

    @Override
    public void applied(GalleryEvent event, long position) {
        apply(event);
        synchronized (applied) {
            nextPosition = position + 1;
            applied.notifyAll();
        }
    }

    /** A pack change is not this gallery's business, but read-your-writes waits for every position of the log. */
    @Override
    public void packChanged(PackEvent event, long position) {
        synchronized (applied) {
            nextPosition = position + 1;
            applied.notifyAll();
        }
    }

    @Override
    public void stopped(RuntimeException why) {
        failure = why;
        log.error("Gallery sync stopped; recognitions will fail until the worker restarts", why);
        synchronized (applied) {
            applied.notifyAll();
        }
    }

    /**
     * Applies one event to the in-memory gallery. An added (or stored) sample of another pack is not comparable and is
     * skipped (while a candidate pack is loaded, an enrollment announces one per pack);
     * a removal is of the sample or the person whatever pack announced it (a candidate's gallery loses them too).
     */
    private void apply(GalleryEvent event) {
        if ((event instanceof GalleryEvent.SampleAdded || event instanceof GalleryEvent.SampleStored)
                && !event.modelPack().equals(gallery.modelPack())) {
            return;
        }
        if (event instanceof GalleryEvent.SampleStored stored) {
            // Read outside the lock: a deletion committed meanwhile is later in the feed and removes it again.
            event = fromDatabase(stored);
            if (event == null) {
                return;
            }
        }
        synchronized (writes) {
            switch (event) {
                case GalleryEvent.SampleAdded a -> {
                    gallery.put(a.sampleId(), a.person(), a.personName(), a.embedding());
                    noteTouched(a.sampleId(), null);
                }
                case GalleryEvent.SampleRemoved r -> {
                    gallery.removeSample(r.sampleId());
                    noteTouched(r.sampleId(), null);
                }
                case GalleryEvent.PersonRemoved r -> {
                    gallery.removePerson(r.person());
                    noteTouched(null, r.person());
                }
                case GalleryEvent.SampleStored s -> throw new IllegalStateException("read from the database above: " + s);
            }
        }
    }

    /**
     * An enrollment announced by id, as the database has it now: the row (embedding, current person and name), or a
     * removal when the row is gone (deleted since, so it must not come back). Null when the database cannot be read:
     * the sample is left to the next reconciliation ({@link #takeUnread}), so nothing is lost.
     */
    private GalleryEvent fromDatabase(GalleryEvent.SampleStored stored) {
        List<GalleryEvent> read = new ArrayList<>(1);
        try {
            repository.loadSample(gallery.modelPack(), gallery.dimension(), stored.sampleId(), (sampleId, person, name, embedding) ->
                    read.add(new GalleryEvent.SampleAdded(sampleId, person, name, stored.modelPack(), embedding, stored.origin())));
        } catch (RuntimeException e) {
            unread.add(stored.sampleId());
            log.warn("Could not read enrolled sample {} from the database ({}); the next gallery reconciliation adds it",
                    stored.sampleId(), e.getMessage());
            return null;
        }
        return read.isEmpty()
                ? new GalleryEvent.SampleRemoved(stored.sampleId(), stored.person(), stored.modelPack(), stored.origin())
                : read.getFirst();
    }

    /** The samples whose rows could not be read since the last call; a reconciliation that fails gives them back. */
    java.util.Set<Long> takeUnread() {
        java.util.Set<Long> taken = new java.util.TreeSet<>();
        for (Long id : unread) {
            if (unread.remove(id)) {
                taken.add(id);
            }
        }
        return taken;
    }

    void giveBackUnread(java.util.Set<Long> ids) {
        unread.addAll(ids);
    }

    // ---- reconciliation with the database (GalleryReconciler) ----

    /** What events changed while a reconciliation compared database rows it had read with the gallery. */
    private static final class Touched {
        final java.util.Set<Long> samples = new java.util.HashSet<>();
        final java.util.Set<PersonRef> persons = new java.util.HashSet<>();

        boolean covers(long sampleId, PersonRef person) {
            return samples.contains(sampleId) || (person != null && persons.contains(person));
        }
    }

    private void noteTouched(Long sampleId, PersonRef person) {
        if (touched != null) {
            if (sampleId != null) {
                touched.samples.add(sampleId);
            }
            if (person != null) {
                touched.persons.add(person);
            }
        }
    }

    DatabasePrint loadedPrint() {
        return loadedPrint;
    }

    GalleryRepository repository() {
        return repository;
    }

    /**
     * Runs one reconciliation: {@code pass} reads the database and proposes changes, which are applied only when no
     * event touched the same sample or person since the pass started. An event carries a change committed after
     * the rows the pass read (or the same change), so it is the more recent truth: a sample deleted by an event must
     * not come back because the pass read it a moment earlier.
     */
    <T> T reconcile(java.util.function.Function<Reconciliation, T> pass) {
        synchronized (writes) {
            touched = new Touched();
        }
        try {
            return pass.apply(new Reconciliation());
        } finally {
            synchronized (writes) {
                touched = null;
            }
        }
    }

    /** The changes a reconciliation pass may make, each refused when an event got there first. */
    final class Reconciliation {
        boolean add(long sampleId, PersonRef person, String name, float[] embedding) {
            synchronized (writes) {
                if (touched.covers(sampleId, person)) {
                    return false;
                }
                gallery.put(sampleId, person, name, embedding);
                return true;
            }
        }

        boolean remove(long sampleId, PersonRef person) {
            synchronized (writes) {
                return !touched.covers(sampleId, person) && gallery.removeSample(sampleId);
            }
        }

        boolean reassign(long sampleId, PersonRef from, PersonRef to, String name) {
            synchronized (writes) {
                return !touched.covers(sampleId, from) && !touched.covers(sampleId, to) && gallery.reassign(sampleId, to, name);
            }
        }

        void names(Map<PersonRef, String> current) {
            synchronized (writes) {
                gallery.replaceNames(current);
            }
        }
    }

    /**
     * Asks the feed for its end now and returns the wait for it, so that the round trip overlaps other work
     * (decoding and analysing the photo) and only the gallery search waits.
     *
     * @return waits until every event published before this call is applied here; it throws
     *         {@code SERVICE_UNAVAILABLE} when the feed cannot be asked and {@code REQUEST_TIMEOUT} when catching up
     *         takes longer than {@code timeout}
     */
    public Runnable startCatchUp(Duration timeout) {
        CompletableFuture<Long> end = feed.endLater();
        return () -> awaitApplied(endWithin(end, timeout), timeout);
    }

    private static long endWithin(CompletableFuture<Long> end, Duration timeout) {
        try {
            return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "interrupted while reading the gallery version");
        } catch (ExecutionException | TimeoutException e) {
            throw new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "cannot read the gallery version", Map.of(), e);
        }
    }

    /** Waits until the event at {@code position - 1} and everything before it is applied. */
    public void awaitApplied(long position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (applied) {
            while (nextPosition < position) {
                if (failure != null) {
                    throw new RollcallException(ErrorCode.SERVICE_UNAVAILABLE, "gallery sync has stopped: " + failure.getMessage());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "the gallery did not catch up with recent enrollments in time");
                }
                try {
                    applied.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "interrupted while the gallery caught up");
                }
            }
        }
    }

    /** Position of the last event applied: the gallery's version; -1 before any. */
    public long version() {
        return nextPosition - 1;
    }

    public boolean healthy() {
        return failure == null;
    }

    /** The gallery this sync keeps, for searches. */
    public Gallery gallery() {
        return gallery;
    }

    /** Stops following the feed, then writes the snapshot (when there is one and the gallery is sound). */
    @Override
    public void close() {
        feed.close();
        if (snapshot != null && failure == null) {
            snapshot.write(gallery, equalTo);
        }
    }
}

package io.rollcall.gallery;

import io.rollcall.error.RollcallException;
import io.rollcall.storage.DatabasePrint;
import io.rollcall.storage.GalleryRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
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
 * worker serves ({@link #restoredFromSnapshot}); the snapshot is written again after a full load, after a catch-up
 * at start that changed samples ({@link #keepSnapshot}), and at {@link #close}, with the print the gallery was last
 * known equal to ({@link #reconciledTo}).
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
    /** Every change to the gallery goes through it: events, and what a reconciliation finds. */
    private final GalleryWrites writes;
    /** The database's numbers taken just before the initial load: the first reconciliation compares with them. */
    private final DatabasePrint loadedPrint;
    /**
     * Samples another worker enrolled whose rows could not be read when their event came (the database was briefly
     * unavailable): the next reconciliation reads their buckets whether or not the database's numbers changed.
     */
    private final Set<Long> unread = ConcurrentHashMap.newKeySet();
    private final GallerySnapshot snapshot;
    private final boolean restoredFromSnapshot;
    /** The database's print the gallery was last known equal to: at the load, then after each reconciliation. */
    private volatile DatabasePrint equalTo;
    private final FeedPosition position;

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
        this.writes = new GalleryWrites(gallery);
        this.feed = feed;
        this.repository = repository;
        this.snapshot = snapshot;
        long start = feed.end();
        // Before the load: whatever changes between the two is in the load and also changes the numbers, so the
        // first reconciliation looks at it again (harmlessly) rather than missing it.
        DatabasePrint print = repository.print();
        Optional<DatabasePrint> restored = snapshot == null ? Optional.empty() : snapshot.restore(gallery, repository);
        this.restoredFromSnapshot = restored.isPresent();
        if (restoredFromSnapshot) {
            // The snapshot is as old as its print: the first reconciliation compares the buckets changed since then.
            this.loadedPrint = restored.get();
        } else {
            this.loadedPrint = print;
            GalleryLoad.fromDatabase(gallery, repository);
            if (snapshot != null) {
                snapshot.write(gallery, print);
            }
        }
        this.equalTo = loadedPrint;
        this.position = new FeedPosition(start);
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
    public void applied(GalleryEvent event, long at) {
        apply(event);
        position.passed(at);
    }

    /** A pack change is not this gallery's business, but read-your-writes waits for every position of the log. */
    @Override
    public void packChanged(PackEvent event, long at) {
        position.passed(at);
    }

    @Override
    public void stopped(RuntimeException why) {
        log.error("Gallery sync stopped; recognitions will fail until the worker restarts", why);
        position.stopped(why);
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
        writes.apply(event);
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
    Set<Long> takeUnread() {
        Set<Long> taken = new TreeSet<>();
        for (Long id : unread) {
            if (unread.remove(id)) {
                taken.add(id);
            }
        }
        return taken;
    }

    void giveBackUnread(Set<Long> ids) {
        unread.addAll(ids);
    }

    // ---- reconciliation with the database (GalleryReconciler) ----

    DatabasePrint loadedPrint() {
        return loadedPrint;
    }

    GalleryRepository repository() {
        return repository;
    }

    /** Runs one reconciliation pass; see {@link GalleryWrites#reconcile}. */
    <T> T reconcile(Function<GalleryWrites.Reconciliation, T> pass) {
        return writes.reconcile(pass);
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
        return () -> position.awaitEnd(end, timeout);
    }

    /** Waits until the event at {@code position - 1} and everything before it is applied. */
    public void awaitApplied(long at, Duration timeout) {
        position.await(at, timeout);
    }

    /** Position of the last event applied: the gallery's version; -1 before any. */
    public long version() {
        return position.version();
    }

    public boolean healthy() {
        return position.healthy();
    }

    /** The gallery this sync keeps, for searches. */
    public Gallery gallery() {
        return gallery;
    }

    /**
     * Writes the snapshot now (when there is one and the gallery is sound), as equal to the database as the last
     * reconciliation found it; events applied since are in it too, and the next start's reconciliation looks at their
     * buckets again, harmlessly.
     */
    public void keepSnapshot() {
        if (snapshot != null && position.healthy()) {
            snapshot.write(gallery, equalTo);
        }
    }

    /** Stops following the feed, then writes the snapshot (when there is one and the gallery is sound). */
    @Override
    public void close() {
        feed.close();
        keepSnapshot();
    }
}

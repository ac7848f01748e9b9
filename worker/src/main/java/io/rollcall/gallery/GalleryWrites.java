package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one way a synced gallery changes ({@link GallerySync}): events from the feed, and the changes a
 * reconciliation with the database proposes ({@link GalleryReconciler}), serialised by one lock. A reconciliation's
 * change is refused for a sample or person an event touched since the pass began: the event carries a change
 * committed after the rows the pass read (or the same change), so it is the more recent truth.
 */
final class GalleryWrites {
    private final Gallery gallery;
    private final Object writes = new Object();
    /** Sample ids and persons events touched while a reconciliation runs; null when none runs. */
    private Touched touched;

    GalleryWrites(Gallery gallery) {
        this.gallery = gallery;
    }

    /** Applies an event already resolved against the database (never a {@code SampleStored}). */
    void apply(GalleryEvent event) {
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
                case GalleryEvent.SampleStored s -> throw new IllegalStateException("resolved against the database by GallerySync first: " + s);
            }
        }
    }

    /** What events changed while a reconciliation compared database rows it had read with the gallery. */
    private static final class Touched {
        final Set<Long> samples = new HashSet<>();
        final Set<PersonRef> persons = new HashSet<>();

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

    /**
     * Runs one reconciliation: {@code pass} reads the database and proposes changes, which are applied only when no
     * event touched the same sample or person since the pass started. An event carries a change committed after
     * the rows the pass read (or the same change), so it is the more recent truth: a sample deleted by an event must
     * not come back because the pass read it a moment earlier.
     */
    <T> T reconcile(Function<Reconciliation, T> pass) {
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
}

package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

/**
 * What a worker recognises against: the {@link GalleryIndex} of embeddings plus each person's display name, for
 * one model pack (embeddings of different packs are not comparable, so a gallery never mixes them).
 */
public final class Gallery {
    private final String modelPack;
    private final GalleryIndex index;
    private final ConcurrentHashMap<PersonRef, String> names = new ConcurrentHashMap<>();

    public Gallery(String modelPack, int dimension) {
        this(modelPack, dimension, GalleryIndex.defaultRowDirectory());
    }

    /** A gallery whose exact rows are kept in a private file in {@code rowDirectory} (see {@link GalleryIndex}). */
    public Gallery(String modelPack, int dimension, java.nio.file.Path rowDirectory) {
        this.modelPack = modelPack;
        this.index = new GalleryIndex(dimension, rowDirectory);
    }

    /** The index itself, for the snapshot. */
    GalleryIndex index() {
        return index;
    }

    /** Forgets every sample and name (a snapshot that could not be used). */
    void clear() {
        index.clear();
        names.clear();
    }

    public String modelPack() {
        return modelPack;
    }

    public int dimension() {
        return index.dimension();
    }

    /** Adds or replaces one enrolled sample. */
    public void put(long sampleId, PersonRef person, String name, float[] embedding) {
        if (name != null) {
            names.put(person, name);
        }
        index.add(sampleId, person, embedding);
    }

    /** Bulk load at start; the index checks every row before changing anything. */
    public void putAll(Collection<GallerySample> samples, Map<PersonRef, String> personNames) {
        names.putAll(personNames);
        index.addAll(samples);
    }

    /** Gives a sample to another person (a row moved with SQL), keeping its vector. */
    public boolean reassign(long sampleId, PersonRef person, String name) {
        if (name != null) {
            names.put(person, name);
        }
        return index.reassign(sampleId, person);
    }

    /** The samples whose ids {@code ids} accepts, with their persons. */
    public Map<Long, PersonRef> samplesWhere(LongPredicate ids) {
        return index.samplesWhere(ids);
    }

    /**
     * Takes the display names the database holds now: renamed persons get their new name, persons without a row
     * lose theirs. Persons without samples here are not kept.
     */
    public void replaceNames(Map<PersonRef, String> current) {
        names.keySet().retainAll(current.keySet());
        current.forEach((person, name) -> {
            if (name != null && index.hasPerson(person)) {
                names.put(person, name);
            }
        });
    }

    public boolean removeSample(long sampleId) {
        return index.removeSample(sampleId);
    }

    public int removePerson(PersonRef person) {
        int removed = index.removePerson(person);
        names.remove(person);
        return removed;
    }

    /** The best-matching enrolled person at or above {@code threshold}, optionally only of one type. */
    public Optional<GalleryMatch> best(float[] embedding, PersonType filter, double threshold) {
        return index.search(embedding, new SearchOptions(1, (float) threshold, filter)).stream().findFirst();
    }

    /** Up to {@code k} best persons regardless of any threshold (for duplicate checks and diagnostics). */
    public List<GalleryMatch> nearest(float[] embedding, int k) {
        return index.search(embedding, SearchOptions.top(k));
    }

    /** The person's sample most similar to {@code embedding}; empty when the person has none here. */
    public Optional<GalleryMatch> bestOf(PersonRef person, float[] embedding) {
        return index.bestOf(person, embedding);
    }

    /** The person's display name as enrolled, or an empty string when the school has none. */
    public String name(PersonRef person) {
        return names.getOrDefault(person, "");
    }

    /** Samples a search filtered to {@code type} looks at; all samples when {@code type} is null. */
    public int size(PersonType type) {
        return index.size(type);
    }

    public int size() {
        return index.size();
    }

    public int personCount() {
        return index.personCount();
    }

    public GalleryStats stats() {
        return index.stats();
    }
}

package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import java.util.List;

/** One sample as {@link GalleryRepository#load} hands it over, collected by tests. */
public record LoadedSample(long sampleId, PersonRef person, String personName, float[] embedding) {

    /** A receiver that adds every sample to {@code into}. */
    public static GalleryRepository.SampleReceiver into(List<LoadedSample> into) {
        // The loader reuses its array for the next row, so each sample keeps a copy.
        return (sampleId, person, name, embedding) -> into.add(new LoadedSample(sampleId, person, name, embedding.clone()));
    }
}

package io.rollcall.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.person.PersonRef;
import org.junit.jupiter.api.Test;

class GalleryEventTest {

    @Test
    void anAddedSamplesEmbeddingIsNeverPrinted() {
        var added = new GalleryEvent.SampleAdded(7, PersonRef.teacher("T01"), "Tess", "dev", new float[] {0.25f, 0.5f}, "req-1");

        assertThat(added).hasToString("SampleAdded[sampleId=7, person=teacher:T01, modelPack=dev]");
    }
}

package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import java.util.Objects;

/**
 * A committed change to the enrolled faces, which every worker applies to its gallery in the same order. Published
 * only after the database commit that made it ({@link GalleryFeed}).
 */
public sealed interface GalleryEvent {

    /** The person the change is about. */
    PersonRef person();

    /** The pack whose embeddings the change concerns; a worker running another pack ignores it. */
    String modelPack();

    /** The request or job that caused the change, for tracing; may be null. */
    String origin();

    /**
     * A sample was enrolled, as the worker that enrolled it knows it: with the embedding, which stays in memory (the
     * feed publishes it as a {@link SampleStored}).
     *
     * @param personName the person's display name, or null when the school has none
     * @param embedding  the sample's embedding; not copied
     */
    record SampleAdded(long sampleId, PersonRef person, String personName, String modelPack, float[] embedding,
                       String origin) implements GalleryEvent {
        public SampleAdded {
            Objects.requireNonNull(person, "person");
            Objects.requireNonNull(modelPack, "modelPack");
            Objects.requireNonNull(embedding, "embedding");
        }

        /** Never the embedding: it is biometric data. */
        @Override
        public String toString() {
            return "SampleAdded[sampleId=" + sampleId + ", person=" + person + ", modelPack=" + modelPack + "]";
        }
    }

    /**
     * A sample was enrolled, as another worker learns of it: the feed carries ids, never the embedding or the name
     * (a deleted person's biometric data must not outlive the database row in Kafka's log), so the receiver reads
     * the row by {@code sampleId}; a row already gone counts as removed ({@link GallerySync}).
     */
    record SampleStored(long sampleId, PersonRef person, String modelPack, String origin) implements GalleryEvent {
        public SampleStored {
            Objects.requireNonNull(person, "person");
            Objects.requireNonNull(modelPack, "modelPack");
        }
    }

    /** One sample was deleted. */
    record SampleRemoved(long sampleId, PersonRef person, String modelPack, String origin) implements GalleryEvent {
        public SampleRemoved {
            Objects.requireNonNull(person, "person");
            Objects.requireNonNull(modelPack, "modelPack");
        }
    }

    /** Every sample of the person was deleted. */
    record PersonRemoved(PersonRef person, String modelPack, String origin) implements GalleryEvent {
        public PersonRemoved {
            Objects.requireNonNull(person, "person");
            Objects.requireNonNull(modelPack, "modelPack");
        }
    }
}

package io.rollcall.storage;

import io.rollcall.person.PersonRef;

/**
 * A {@code FaceData} row a migration created, still present, with the old photo it came from.
 *
 * @param sampleId   the new row's {@code FaceData.Id}
 * @param batchId    the migration run that created it
 * @param source     where its photo came from ({@link PhotoSource#originalName} and content type not kept)
 * @param descriptor the row's descriptor as stored
 */
public record MigratedSample(long sampleId, String batchId, PersonRef person, PhotoSource source,
                             DecodedDescriptor descriptor) {

    /** Never the descriptor: it holds an embedding. */
    @Override
    public String toString() {
        return "MigratedSample[sampleId=" + sampleId + ", batchId=" + batchId + ", person=" + person + ", source="
                + source.label() + "]";
    }
}

package io.rollcall.storage;

import io.rollcall.person.PersonRef;

/**
 * One enrolled sample's embedding as the gallery loads it. The array is the loader's own; the receiver may keep it.
 *
 * @param faceDataId {@code FaceData.Id}
 * @param person     whose face it is
 * @param personName the display name, or null when the school has no row for the code
 * @param embedding  the stored vector, bit-identical to what was enrolled
 */
public record StoredEmbedding(long faceDataId, PersonRef person, String personName, float[] embedding) {

    @Override
    public String toString() {
        return "StoredEmbedding[faceDataId=" + faceDataId + ", person=" + person + ", dim=" + embedding.length + "]";
    }
}

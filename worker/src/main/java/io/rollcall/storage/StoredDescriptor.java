package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import java.util.Optional;

/**
 * One {@code FaceData} row as a descriptor scan sees it: what its descriptor is and whether it keeps a photo. The
 * photo itself is read separately ({@link DescriptorRepository#image}), one row at a time.
 *
 * @param sampleId   {@code FaceData.Id}
 * @param personType the stored {@code PersonType}, as written (rows from other systems are read, never trusted)
 * @param personCode the stored {@code PersonCode}, trimmed of the {@code CHAR(10)} padding
 * @param person     the person these denote, or empty when they denote none
 * @param descriptor the decoded {@code FaceDescriptor}
 * @param hasImage   whether {@code ImageData} is not NULL
 */
public record StoredDescriptor(long sampleId, String personType, String personCode, Optional<PersonRef> person,
                               DecodedDescriptor descriptor, boolean hasImage) {

    /** Whether the descriptor is Rollcall's, of {@code model} with {@code dim} values. */
    public boolean isOf(String model, int dim) {
        return descriptor instanceof DecodedDescriptor.Rollcall(FaceDescriptor d)
                && d.model().equals(model) && d.dim() == dim;
    }

    /** {@code type/code} as stored, for reports; never the descriptor. */
    public String personLabel() {
        return personType + "/" + personCode;
    }

    @Override
    public String toString() {
        return "StoredDescriptor[sampleId=" + sampleId + ", person=" + personLabel() + ", hasImage=" + hasImage + "]";
    }
}

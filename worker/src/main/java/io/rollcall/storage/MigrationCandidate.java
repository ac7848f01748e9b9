package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import java.util.List;
import java.util.Objects;

/**
 * A person the old system knows, as the migration sees them: a {@code Student}/{@code Teacher} row, or a code found
 * only in the old system's {@code FaceData} rows.
 *
 * @param person     type and code, stripped of the {@code nchar(10)} padding
 * @param name       the school's display name; null for a code without a row (or a row without a name)
 * @param campus     {@code Student.Campus} / {@code Teacher.Campus}, or null
 * @param form       {@code Student.Form}, or null (always for teachers)
 * @param photos     the old system's photos of them, in the order they are migrated: the {@code ImageData} of
 *                   their old {@code FaceData} rows, oldest (lowest {@code Id}) first, then the portrait
 * @param enrolled   they have a sample of the pack being migrated to
 * @param unfinished a migration stored some of their photos and stopped before it had tried all of them
 * @param inBatch    the batch asked about has already stored or finished them (a job run again)
 */
public record MigrationCandidate(PersonRef person, String name, String campus, String form, List<PhotoSource> photos,
                                 boolean enrolled, boolean unfinished, boolean inBatch) {

    public MigrationCandidate {
        Objects.requireNonNull(person, "person");
        photos = List.copyOf(photos);
    }
}

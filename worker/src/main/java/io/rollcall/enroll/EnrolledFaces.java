package io.rollcall.enroll;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.GalleryEvent;
import io.rollcall.inference.ActivePack;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.storage.FaceListing;
import io.rollcall.storage.FacePage;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.Paging;
import io.rollcall.storage.StoredPhoto;
import java.util.Map;
import java.util.Optional;

/**
 * Who is enrolled, and taking enrollments away: the list of persons or samples, a sample's photo, deleting a person's samples (named
 * by the person or by any of their samples) or one sample.
 * A deletion is committed to the database first, then announced to every worker's gallery. If the announcement
 * fails, the caller gets an error and may retry the delete, and every worker drops the sample at its next start at
 * the latest.
 */
public final class EnrolledFaces {
    private final FaceRepository faces;
    private final ActivePack packs;

    public EnrolledFaces(FaceRepository faces, ActivePack packs) {
        this.faces = faces;
        this.packs = packs;
    }

    /** What a deletion removed. @param galleryVersion position of the gallery event that announced it */
    public record Deletion(PersonRef person, int deletedSamples, long galleryVersion) {
    }

    /** @param type one person type, or empty for students and teachers together */
    public FacePage list(Optional<PersonType> type, FaceListing listing, Paging paging) {
        return faces.list(type, listing, paging);
    }

    /** Every sample of the person. @throws RollcallException {@code PERSON_NOT_FOUND} when there is none */
    public Deletion deletePerson(PersonRef person, String origin) {
        int deleted = faces.deleteAll(person);
        if (deleted == 0) {
            throw new RollcallException(ErrorCode.PERSON_NOT_FOUND, "No enrolled face for " + person,
                    Map.of("person_type", person.type().wireName(), "person_code", person.code()));
        }
        return new Deletion(person, deleted, packs.current().sync().announce(new GalleryEvent.PersonRemoved(person, packs.current().name(), origin)));
    }

    /**
     * Every sample of the person whose sample {@code sampleId} is, exactly as {@link #deletePerson}: the Node.js
     * server deletes people by the id the list shows.
     *
     * @throws RollcallException {@code PERSON_NOT_FOUND} when no sample has that id
     */
    public Deletion deletePersonOfSample(long sampleId, String origin) {
        return deletePerson(faces.owner(sampleId).orElseThrow(() -> noSample(sampleId)), origin);
    }

    /** One sample by its id. @throws RollcallException {@code PERSON_NOT_FOUND} when no sample has it */
    public Deletion deleteSample(long sampleId, String origin) {
        PersonRef person = faces.delete(sampleId).orElseThrow(() -> noSample(sampleId));
        return new Deletion(person, 1, packs.current().sync().announce(new GalleryEvent.SampleRemoved(sampleId, person, packs.current().name(), origin)));
    }

    /**
     * The photo sample {@code sampleId} keeps, as stored.
     *
     * @throws RollcallException {@code PERSON_NOT_FOUND} when no sample has that id, {@code NOT_FOUND} when it keeps no
     *                           photo (the old system's rows, or a sample enrolled without one)
     */
    public byte[] photo(long sampleId) {
        StoredPhoto photo = faces.photo(sampleId).orElseThrow(() -> noSample(sampleId));
        if (photo.image() == null) {
            throw new RollcallException(ErrorCode.NOT_FOUND, "Face sample " + sampleId + " keeps no photo", Map.of("id", sampleId));
        }
        return photo.image();
    }

    private static RollcallException noSample(long sampleId) {
        return new RollcallException(ErrorCode.PERSON_NOT_FOUND, "No face sample with id " + sampleId, Map.of("id", sampleId));
    }
}

package io.rollcall.storage;

import java.util.List;

/**
 * A slice of a face listing.
 *
 * @param faces      the entries of the requested page, in {@code FaceData.Id} order (of a person's oldest sample)
 * @param totalCount how many entries (persons or samples) the whole listing has, across all pages
 */
public record FacePage(List<FaceSummary> faces, long totalCount) {

    public FacePage {
        faces = List.copyOf(faces);
    }
}

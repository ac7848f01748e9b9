package io.rollcall.storage;

import java.util.List;

/**
 * A slice of a face listing.
 *
 * @param faces      the rows of the requested page, in {@code FaceData.Id} order
 * @param totalCount how many rows the whole listing has, across all pages
 */
public record FacePage(List<FaceSummary> faces, long totalCount) {

    public FacePage {
        faces = List.copyOf(faces);
    }
}

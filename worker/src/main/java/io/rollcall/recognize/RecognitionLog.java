package io.rollcall.recognize;

import io.rollcall.error.ErrorCode;
import io.rollcall.gallery.GalleryMatch;
import java.util.Optional;

/**
 * Where a request's recognition attempts are recorded ({@code FaceRecognitionLogs}, and the recognition-log
 * events analytics read). One instance per request: it knows the request, numbers its events and times them.
 */
public interface RecognitionLog {

    void record(RecognitionEvent event);

    /**
     * One recognition attempt.
     *
     * @param operation       {@code recognize} or {@code recognize_group}
     * @param match           who was recognised, if anyone
     * @param confidence      the match's confidence, or null without a match
     * @param error           why there was no attempt to match (no face), or null
     * @param sourceImageName the client's name for the photo, or null
     * @param sessionId       the session the request named, or null
     * @param modelPack       the pack that produced the embedding
     */
    record RecognitionEvent(String operation, Optional<GalleryMatch> match, Double confidence, ErrorCode error,
                            String sourceImageName, Integer sessionId, String modelPack) {
    }
}

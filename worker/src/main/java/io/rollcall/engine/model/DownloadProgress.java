package io.rollcall.engine.model;

/** Receives download progress; called often, from the downloading thread, so it must be cheap. */
@FunctionalInterface
public interface DownloadProgress {

    /** Ignores progress. */
    DownloadProgress NONE = (item, bytesDone, bytesTotal) -> { };

    /**
     * @param item       what is being fetched (the archive's file name)
     * @param bytesDone  bytes on disk so far, including any part resumed from an earlier attempt
     * @param bytesTotal the full size, or -1 when the server did not say
     */
    void update(String item, long bytesDone, long bytesTotal);
}

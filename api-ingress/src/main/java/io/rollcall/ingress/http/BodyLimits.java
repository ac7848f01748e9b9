package io.rollcall.ingress.http;

/**
 * The one table of request body sizes: the most each endpoint's body may hold, derived from what it carries, and
 * never more than the in-flight budget ({@code MAX_INFLIGHT_REQUEST_BYTES}), which one request could otherwise take
 * whole. A body over its limit is {@code REQUEST_TOO_LARGE} before it is read ({@link BodyLimit}).
 *
 * <ul>
 *   <li>{@code POST} enroll, register, recognize, recognize-group, quality-check: one photo;</li>
 *   <li>{@code POST} verify: two photos;</li>
 *   <li>{@code POST} batch-enroll: {@code MAX_BATCH_ITEMS} photos, each with its person's fields;</li>
 *   <li>{@code POST} bulk-import: a CSV of at most {@link IngressSettings#MAX_CSV_BYTES}, maybe inside JSON.</li>
 * </ul>
 * Everything else (delete, the admin endpoints, any other method) carries a few fields: {@link #JSON_SLACK}.
 *
 * @param maxImageBytes  {@code MAX_IMAGE_BYTES}: the largest photo, decoded
 * @param maxBatchItems  {@code MAX_BATCH_ITEMS}
 * @param maxCsvBytes    the largest bulk-import CSV
 * @param inflightBudget {@code MAX_INFLIGHT_REQUEST_BYTES}: the cap on every limit
 */
public record BodyLimits(long maxImageBytes, int maxBatchItems, long maxCsvBytes, long inflightBudget) {
    /**
     * A JSON body's fields besides its photos: names, codes and file names of at most a few hundred characters,
     * each character escaped (six bytes) at worst, a data URL prefix, and whitespace; generously rounded up.
     */
    static final long JSON_SLACK = 64 * 1024;
    /** One batch item's fields besides its photo. */
    static final long ITEM_SLACK = 4 * 1024;

    public BodyLimits {
        if (maxImageBytes <= 0 || maxBatchItems < 0 || maxCsvBytes <= 0 || inflightBudget <= 0) {
            throw new IllegalArgumentException("body limits must be positive");
        }
    }

    /**
     * A JSON body carrying {@code photos} photos of {@code maxImageBytes}: what the in-flight budget must hold at
     * least, so that a verify request of two full-size photos can ever be served.
     */
    static long photoRequest(long maxImageBytes, int photos) {
        return photos * encoded(maxImageBytes) + JSON_SLACK;
    }

    /**
     * A photo as JSON carries it: base64, 4 characters for every 3 bytes, possibly wrapped in lines (MIME breaks
     * every 76 characters with {@code \r\n}, which JSON escapes as 4 characters: 5.3 %, allowed as 1/16).
     */
    private static long encoded(long imageBytes) {
        long base64 = (imageBytes + 2) / 3 * 4;
        return base64 + base64 / 16;
    }

    public long onePhoto() {
        return Math.min(photoRequest(maxImageBytes, 1), inflightBudget);
    }

    public long twoPhotos() {
        return Math.min(photoRequest(maxImageBytes, 2), inflightBudget);
    }

    public long batch() {
        return Math.min(maxBatchItems * (encoded(maxImageBytes) + ITEM_SLACK) + JSON_SLACK, inflightBudget);
    }

    /** A CSV sent as text, as a form upload, or inside JSON, whose escaping (quotes, line breaks) may double it. */
    public long csv() {
        return Math.min(2 * maxCsvBytes + JSON_SLACK, inflightBudget);
    }

    /** Any other request: a few fields at most. */
    public long fields() {
        return Math.min(JSON_SLACK, inflightBudget);
    }

    /**
     * The limit of the endpoint a request is routed to.
     *
     * @param path as {@link ApiPaths#of} gives it; a spelling no endpoint answers to gets the smallest limit
     */
    public long of(String method, String path) {
        if (!"POST".equals(method)) {
            return fields();
        }
        return switch (path) {
            case "/api/face/enroll", "/api/face/register", "/api/face/recognize", "/api/face/recognize-group",
                 "/api/face/quality-check" -> onePhoto();
            case "/api/face/verify" -> twoPhotos();
            case "/api/face/batch-enroll" -> batch();
            case "/api/face/bulk-import" -> csv();
            default -> fields();
        };
    }
}

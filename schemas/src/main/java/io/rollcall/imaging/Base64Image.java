package io.rollcall.imaging;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Base64 as clients send it: plain or behind a {@code data:image/...;base64,} prefix, wrapped in lines or not,
 * standard or URL-safe alphabet, padded or not.
 *
 * <p>Decoding is hand-written rather than {@link java.util.Base64} because the JDK offers either a strict decoder
 * that rejects line breaks or a MIME decoder that silently skips any illegal character; this one skips only
 * whitespace and names the first illegal character's position. It runs in two passes so the size limit can be
 * checked from the text alone, before any output is allocated.
 */
public final class Base64Image {

    /** How far to look for the comma that ends a data URL header; real headers are a few dozen characters. */
    private static final int MAX_DATA_URL_HEADER = 1024;

    // One lookup classifies every character: 0..63 is a sextet, otherwise one of these markers.
    private static final byte INVALID = -1;
    private static final byte WHITESPACE = -2;
    private static final byte PADDING = -3;
    private static final byte[] SEXTET = new byte[128];

    static {
        Arrays.fill(SEXTET, INVALID);
        String standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < standard.length(); i++) {
            SEXTET[standard.charAt(i)] = (byte) i;
        }
        SEXTET['-'] = 62; // URL-safe alphabet (RFC 4648 section 5)
        SEXTET['_'] = 63;
        for (char c : new char[] {' ', '\t', '\n', '\r', '\f'}) {
            SEXTET[c] = WHITESPACE;
        }
        SEXTET['='] = PADDING;
    }

    private Base64Image() {
    }

    /**
     * Decodes an image sent as base64 text. The size limit is checked from the text's length before anything is
     * allocated, so an oversized upload costs no memory.
     *
     * @param maxBytes largest decoded size accepted
     * @throws RollcallException {@link ErrorCode#INVALID_IMAGE} (missing, empty, not base64, not an image data URL)
     *                           or {@link ErrorCode#IMAGE_TOO_LARGE}
     */
    public static byte[] decode(String text, long maxBytes) {
        if (text == null) {
            throw new RollcallException(ErrorCode.INVALID_IMAGE, "no image: the base64 text is missing");
        }
        int start = payloadStart(text);
        long size = decodedLength(text, start);
        if (size == 0) {
            throw new RollcallException(ErrorCode.INVALID_IMAGE, "empty image: the base64 text contains no data",
                    Map.of("bytes", 0L));
        }
        checkSize(size, maxBytes);
        return decode(text, start, (int) size);
    }

    /** {@code IMAGE_TOO_LARGE} when {@code bytes} exceeds {@code maxBytes}. */
    public static void checkSize(long bytes, long maxBytes) {
        if (bytes > maxBytes) {
            throw new RollcallException(ErrorCode.IMAGE_TOO_LARGE,
                    "image is " + bytes + " bytes; the limit is " + maxBytes + " bytes",
                    Map.of("bytes", bytes, "limit", maxBytes));
        }
    }

    /**
     * The usual upload, one unbroken run of the standard alphabet, through the JDK's decoder: its loop is a HotSpot
     * intrinsic (vectorised on AVX-512) and took a twelfth of the ingress's Java CPU less than the character loop of
     * {@link #decode(String, int, int)} under ten clients sending 1 MB photos. Returns null for anything else (line
     * breaks, the URL-safe alphabet, a bad character), which the loop then decodes or reports with its position.
     * A character beyond Latin-1 becomes '?' in the copy, which the JDK rejects, so nothing invalid gets through.
     */
    private static byte[] decodeStandard(String text, int start, int length) {
        int end = text.length();
        while (end > start && isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        String payload = start == 0 && end == text.length() ? text : text.substring(start, end);
        try {
            byte[] out = java.util.Base64.getDecoder().decode(payload.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return out.length == length ? out : null;
        } catch (IllegalArgumentException notStandard) {
            return null;
        }
    }

    /**
     * Returns where the base64 data starts in {@code text}: just after a data URL header, or at the first
     * non-whitespace character.
     *
     * @throws RollcallException {@link ErrorCode#INVALID_IMAGE} for a data URL that is malformed, not base64, or not
     *                           an image media type
     */
    static int payloadStart(String text) {
        int start = 0;
        while (start < text.length() && isWhitespace(text.charAt(start))) {
            start++;
        }
        if (!text.regionMatches(true, start, "data:", 0, 5)) {
            return start;
        }
        int headerStart = start + 5;
        int comma = text.indexOf(',', headerStart);
        if (comma < 0 || comma - headerStart > MAX_DATA_URL_HEADER) {
            throw invalid("malformed data URL: no ',' after the data:<media type>;base64 header", Map.of());
        }
        String[] parts = text.substring(headerStart, comma).split(";", -1);
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.isEmpty()) {
            mediaType = "text/plain"; // RFC 2397: an omitted media type means text/plain
        }
        if (!mediaType.startsWith("image/")) {
            String shown = printableMediaType(mediaType);
            throw invalid("data URL media type " + shown + " is not an image (expected image/jpeg, image/png or image/webp)",
                    Map.of("media_type", shown));
        }
        if (!parts[parts.length - 1].trim().equalsIgnoreCase("base64")) {
            throw invalid("data URL is not base64-encoded: the header must end with ;base64", Map.of());
        }
        return comma + 1;
    }

    /**
     * Returns how many bytes the base64 data from {@code start} decodes to, counting characters only: this is the
     * cheap pass that lets the caller enforce a size limit before decoding. Illegal characters are left for
     * {@link #decode} to report.
     */
    static long decodedLength(String text, int start) {
        long significant = 0;
        int trailingPadding = 0;
        if (!containsWhitespace(text, start)) {
            // One unbroken run, the usual upload: counted from the length, after String.indexOf's vectorised search
            // for whitespace, instead of the character loop (5 % of the ingress's Java CPU under ten clients).
            significant = text.length() - start;
            for (int i = text.length() - 1; i >= start && text.charAt(i) == '='; i--) {
                trailingPadding++;
            }
        } else {
            for (int i = start; i < text.length(); i++) {
                int kind = classify(text.charAt(i));
                if (kind == WHITESPACE) {
                    continue;
                }
                significant++;
                trailingPadding = kind == PADDING ? trailingPadding + 1 : 0;
            }
        }
        long dataChars = significant - trailingPadding;
        long rest = dataChars % 4; // 2 leftover characters carry 1 byte, 3 carry 2; 1 is invalid and reported later
        return dataChars / 4 * 3 + Math.max(0, rest - 1);
    }

    /**
     * Decodes the base64 data from {@code start} into exactly {@code length} bytes, as computed by
     * {@link #decodedLength}.
     *
     * @throws RollcallException {@link ErrorCode#INVALID_IMAGE} naming the first character that is not base64
     */
    static byte[] decode(String text, int start, int length) {
        byte[] standard = decodeStandard(text, start, length);
        if (standard != null) {
            return standard;
        }
        byte[] out = new byte[length];
        int written = 0;
        int quad = 0;
        int inQuad = 0;
        int padding = 0;
        int n = text.length();
        int i = start;
        while (i < n) {
            // Fast path: four alphabet characters in a row, the common case between line breaks.
            if (inQuad == 0 && padding == 0 && i + 4 <= n) {
                int a = classify(text.charAt(i));
                int b = classify(text.charAt(i + 1));
                int c = classify(text.charAt(i + 2));
                int d = classify(text.charAt(i + 3));
                if ((a | b | c | d) >= 0) {
                    int group = a << 18 | b << 12 | c << 6 | d;
                    out[written++] = (byte) (group >> 16);
                    out[written++] = (byte) (group >> 8);
                    out[written++] = (byte) group;
                    i += 4;
                    continue;
                }
            }
            char c = text.charAt(i);
            int sextet = classify(c);
            if (sextet < 0 || padding > 0) {
                if (sextet == WHITESPACE) {
                    i++;
                    continue;
                }
                if (sextet == PADDING) {
                    padding++;
                    i++;
                    continue;
                }
                if (sextet == INVALID) {
                    throw invalid(String.format("invalid base64: unexpected character U+%04X at position %d", (int) c, i),
                            Map.of("position", i));
                }
                throw invalid("invalid base64: data continues after '=' padding at position " + i, Map.of("position", i));
            }
            quad = quad << 6 | sextet;
            if (++inQuad == 4) {
                out[written++] = (byte) (quad >> 16);
                out[written++] = (byte) (quad >> 8);
                out[written++] = (byte) quad;
                quad = 0;
                inQuad = 0;
            }
            i++;
        }
        if (inQuad == 1) {
            throw invalid("invalid base64: the data ends with a single dangling character", Map.of());
        }
        if (padding > 0 && inQuad + padding != 4) {
            throw invalid("invalid base64: " + padding + " '=' padding characters after " + inQuad
                    + " data characters of the last group", Map.of());
        }
        if (inQuad == 2) {
            out[written++] = (byte) (quad >> 4);
        } else if (inQuad == 3) {
            out[written++] = (byte) (quad >> 10);
            out[written++] = (byte) (quad >> 2);
        }
        if (written != length) {
            throw new IllegalStateException("decoded " + written + " bytes, expected " + length);
        }
        return out;
    }

    private static boolean containsWhitespace(String text, int start) {
        for (char c : new char[] {' ', '\t', '\n', '\r', '\f'}) {
            if (text.indexOf(c, start) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWhitespace(char c) {
        return classify(c) == WHITESPACE;
    }

    private static int classify(char c) {
        return c < 128 ? SEXTET[c] : INVALID;
    }

    /** The client's media type is echoed only when it looks like one, so messages never carry arbitrary input. */
    private static String printableMediaType(String mediaType) {
        if (mediaType.length() <= 64 && mediaType.chars().allMatch(ch ->
                (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || "/+.-_!#$&^".indexOf(ch) >= 0)) {
            return mediaType;
        }
        return "(unrecognised)";
    }

    private static RollcallException invalid(String message, Map<String, Object> details) {
        return new RollcallException(ErrorCode.INVALID_IMAGE, message, details);
    }
}

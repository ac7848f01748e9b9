package io.rollcall.engine.image;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The encodings the service accepts (the requirements name exactly these three). */
public enum ImageFormat {
    JPEG("JPEG", "image/jpeg"),
    PNG("PNG", "image/png"),
    WEBP("WebP", "image/webp");

    private static final int[] PNG_SIGNATURE = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String displayName;
    private final String mediaType;

    ImageFormat(String displayName, String mediaType) {
        this.displayName = displayName;
        this.mediaType = mediaType;
    }

    /** The name used in messages, as people write it ("WebP", not "WEBP"). */
    public String displayName() {
        return displayName;
    }

    /** The lower-case name used in error details, alongside names of unsupported formats such as "gif". */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Identifies the encoding from its magic bytes, never from a file name or a declared media type, because both
     * come from the client. Recognisable but unsupported formats are named in the error so the caller knows what
     * to convert; anything else is "not an image".
     */
    static ImageFormat sniff(byte[] data) {
        ImageFormat accepted = accepted(data);
        if (accepted != null) {
            return accepted;
        }
        String unsupported = unsupportedFormatName(data);
        if (unsupported != null) {
            throw new RollcallException(ErrorCode.INVALID_IMAGE,
                    "unsupported image format: " + unsupported + " (supported: JPEG, PNG, WebP)",
                    Map.of("format", unsupported, "bytes", (long) data.length));
        }
        throw new RollcallException(ErrorCode.INVALID_IMAGE,
                "not an image: the data is not JPEG, PNG or WebP", Map.of("bytes", (long) data.length));
    }

    /**
     * The media type of an image in one of the accepted encodings, from its magic bytes; empty for anything else.
     * A stored photo is served with this type, never with the one a client declared when it was enrolled.
     */
    public static Optional<String> mediaType(byte[] data) {
        return Optional.ofNullable(accepted(data)).map(f -> f.mediaType);
    }

    private static ImageFormat accepted(byte[] data) {
        if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(data, 0, PNG_SIGNATURE)) {
            return PNG;
        }
        if (startsWithAscii(data, 0, "RIFF") && startsWithAscii(data, 8, "WEBP")) {
            return WEBP;
        }
        return null;
    }

    /** Names the image formats people actually send by mistake, so the error can say which one it was. */
    private static String unsupportedFormatName(byte[] d) {
        if (startsWithAscii(d, 0, "GIF87a") || startsWithAscii(d, 0, "GIF89a")) {
            return "gif";
        }
        // "BM" alone is too weak a signature; also require a known BMP info-header size at offset 14.
        if (startsWithAscii(d, 0, "BM") && d.length >= 18) {
            int infoSize = (d[14] & 0xFF) | (d[15] & 0xFF) << 8 | (d[16] & 0xFF) << 16 | (d[17] & 0xFF) << 24;
            if (infoSize == 12 || infoSize == 40 || infoSize == 52 || infoSize == 56 || infoSize == 64
                    || infoSize == 108 || infoSize == 124) {
                return "bmp";
            }
        }
        if (startsWith(d, 0, 'I', 'I', 0x2A, 0x00) || startsWith(d, 0, 'M', 'M', 0x00, 0x2A)) {
            return "tiff";
        }
        if (startsWithAscii(d, 4, "ftyp") && d.length >= 12) {
            // ISO base media file: the major brand says which image codec, if any.
            String brand = new String(d, 8, 4, StandardCharsets.ISO_8859_1);
            switch (brand) {
                case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" -> {
                    return "heic";
                }
                case "avif", "avis" -> {
                    return "avif";
                }
                default -> {
                    return null;
                }
            }
        }
        if (startsWith(d, 0, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ') || startsWith(d, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return "jpeg2000";
        }
        if (startsWith(d, 0, 0xFF, 0x0A) || startsWith(d, 0, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' ')) {
            return "jpegxl";
        }
        if (startsWithAscii(d, 0, "8BPS")) {
            return "psd";
        }
        if (looksLikeSvg(d)) {
            return "svg";
        }
        return null;
    }

    private static boolean looksLikeSvg(byte[] d) {
        int i = 0;
        if (startsWith(d, 0, 0xEF, 0xBB, 0xBF)) {
            i = 3; // UTF-8 byte order mark
        }
        while (i < d.length && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n')) {
            i++;
        }
        if (i >= d.length || d[i] != '<') {
            return false;
        }
        // An XML prolog or comment may come first; the root element appears within the first kilobyte in practice.
        String head = new String(d, i, Math.min(1024, d.length - i), StandardCharsets.ISO_8859_1);
        return head.contains("<svg");
    }

    private static boolean startsWithAscii(byte[] data, int offset, String ascii) {
        if (data.length < offset + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (data[offset + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] data, int offset, int... expected) {
        if (data.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((data[offset + i] & 0xFF) != (expected[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}

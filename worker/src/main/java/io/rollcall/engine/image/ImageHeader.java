package io.rollcall.engine.image;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.util.Map;

/**
 * What an image's container says about it, read by walking the container structure without decoding pixels.
 *
 * <p>One walk answers three questions before any pixel memory is allocated: how big the decoded image will be
 * (for the decompression-bomb check), whether the data is complete (a JPEG must reach its end-of-image marker, a
 * PNG its IEND chunk, a WebP the end its RIFF header declares), and whether the source had alpha or was greyscale.
 * A hand-written walk is used rather than ImageIO readers because it is needed for completeness anyway, reads the
 * array in place, and does not depend on which ImageIO plugins happen to be registered on the classpath.
 *
 * @param width     declared width in pixels, before any EXIF rotation
 * @param height    declared height in pixels, before any EXIF rotation
 * @param hasAlpha  the source declares an alpha channel or a transparent colour
 * @param grayscale the source declares a single grey channel
 */
record ImageHeader(ImageFormat format, int width, int height, boolean hasAlpha, boolean grayscale) {

    long pixels() {
        return (long) width * height;
    }

    /**
     * Reads the header of {@code data}, already identified as {@code format}.
     *
     * @throws RollcallException {@link ErrorCode#INVALID_IMAGE} when the structure is truncated or malformed
     */
    static ImageHeader read(ImageFormat format, byte[] data) {
        return switch (format) {
            case JPEG -> readJpeg(data);
            case PNG -> readPng(data);
            case WEBP -> readWebp(data);
        };
    }

    // ---- JPEG (ITU T.81 annex B) ----

    private static ImageHeader readJpeg(byte[] d) {
        int n = d.length;
        int pos = 2; // after SOI
        int width = -1;
        int height = -1;
        int components = 0;
        boolean scanSeen = false;
        while (true) {
            if (pos >= n) {
                throw truncatedJpeg(d, scanSeen);
            }
            if ((d[pos] & 0xFF) != 0xFF) {
                throw corrupt(ImageFormat.JPEG, d, "expected a marker at byte " + pos);
            }
            while (pos < n && (d[pos] & 0xFF) == 0xFF) {
                pos++; // a marker may be preceded by any number of 0xFF fill bytes
            }
            if (pos >= n) {
                throw truncatedJpeg(d, scanSeen);
            }
            int marker = d[pos++] & 0xFF;
            if (marker == 0xD9) { // EOI: whatever follows (padding, motion-photo video, MPF images) is not ours
                if (!scanSeen) {
                    throw corrupt(ImageFormat.JPEG, d, "no image data before the end-of-image marker");
                }
                return new ImageHeader(ImageFormat.JPEG, width, height, false, components == 1);
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // TEM and RSTn stand alone, without a length
            }
            if (marker == 0xD8 || marker == 0x00) {
                throw corrupt(ImageFormat.JPEG, d, String.format("unexpected marker 0x%02X at byte %d", marker, pos - 1));
            }
            if (pos + 2 > n) {
                throw truncatedJpeg(d, scanSeen);
            }
            int length = u16be(d, pos); // counts its own two bytes
            if (length < 2) {
                throw corrupt(ImageFormat.JPEG, d, "segment length " + length + " at byte " + pos);
            }
            if ((long) pos + length > n) {
                throw truncatedJpeg(d, scanSeen);
            }
            if (isStartOfFrame(marker) && width < 0) {
                if (length < 8) {
                    throw corrupt(ImageFormat.JPEG, d, "frame header too short");
                }
                height = u16be(d, pos + 3);
                width = u16be(d, pos + 5);
                components = d[pos + 7] & 0xFF;
                if (width == 0 || height == 0) {
                    // Height 0 defers the height to a DNL marker, which libjpeg does not support.
                    throw corrupt(ImageFormat.JPEG, d, "frame header declares " + width + "x" + height + " pixels");
                }
            }
            pos += length;
            if (marker == 0xDA) { // SOS: entropy-coded data follows the scan header
                if (width < 0) {
                    throw corrupt(ImageFormat.JPEG, d, "scan before frame header");
                }
                scanSeen = true;
                pos = skipEntropyCodedData(d, pos);
            }
        }
    }

    private static RollcallException truncatedJpeg(byte[] d, boolean scanSeen) {
        return truncated(ImageFormat.JPEG, d, scanSeen
                ? "the data ends before the end-of-image marker (FFD9)"
                : "the data ends inside the header");
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /**
     * Returns the position of the next marker after entropy-coded data, or the data's length when none follows.
     * Byte stuffing guarantees that 0xFF inside the data is followed by 0x00 (or is a restart marker), so the first
     * other 0xFF pair is a real marker; this is why the walk cannot be fooled by bytes that look like FFD9.
     */
    private static int skipEntropyCodedData(byte[] d, int pos) {
        int n = d.length;
        while (pos < n - 1) {
            if (d[pos] != (byte) 0xFF) {
                pos++;
                continue;
            }
            int next = d[pos + 1] & 0xFF;
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                pos += 2;
            } else if (next == 0xFF) {
                pos++; // fill byte before a marker
            } else {
                return pos;
            }
        }
        return n;
    }

    // ---- PNG (ISO/IEC 15948) ----

    private static final int IHDR = chunkType("IHDR");
    private static final int TRNS = chunkType("tRNS");
    private static final int IEND = chunkType("IEND");

    private static ImageHeader readPng(byte[] d) {
        int n = d.length;
        if (n < 8 + 8 + 13 + 4) {
            throw truncated(ImageFormat.PNG, d, "the data ends inside the IHDR chunk");
        }
        if (u32be(d, 12) != IHDR || u32be(d, 8) != 13) {
            throw corrupt(ImageFormat.PNG, d, "the first chunk is not a 13-byte IHDR");
        }
        long width = u32be(d, 16) & 0xFFFFFFFFL;
        long height = u32be(d, 20) & 0xFFFFFFFFL;
        int colourType = d[25] & 0xFF;
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw corrupt(ImageFormat.PNG, d, "IHDR declares " + width + "x" + height + " pixels");
        }
        if (colourType != 0 && colourType != 2 && colourType != 3 && colourType != 4 && colourType != 6) {
            throw corrupt(ImageFormat.PNG, d, "unknown colour type " + colourType);
        }
        boolean alpha = colourType == 4 || colourType == 6;
        boolean grey = colourType == 0 || colourType == 4;
        int pos = 8;
        while (true) {
            if ((long) pos + 12 > n) {
                throw truncated(ImageFormat.PNG, d, "the data ends before the IEND chunk");
            }
            long length = u32be(d, pos) & 0xFFFFFFFFL;
            int type = u32be(d, pos + 4);
            if (length > Integer.MAX_VALUE) {
                throw corrupt(ImageFormat.PNG, d, "chunk length " + length + " at byte " + pos);
            }
            long end = pos + 12 + length; // length, type, data, CRC
            if (end > n) {
                throw truncated(ImageFormat.PNG, d, "the data ends before the IEND chunk");
            }
            if (type == TRNS) {
                alpha = true; // a transparent colour or palette alpha: IMREAD_COLOR drops it like an alpha channel
            }
            if (type == IEND) {
                return new ImageHeader(ImageFormat.PNG, (int) width, (int) height, alpha, grey);
            }
            pos = (int) end;
        }
    }

    private static int chunkType(String fourCc) {
        return fourCc.charAt(0) << 24 | fourCc.charAt(1) << 16 | fourCc.charAt(2) << 8 | fourCc.charAt(3);
    }

    // ---- WebP (RFC 9649) ----

    private static final int VP8 = chunkType("VP8 ");
    private static final int VP8L = chunkType("VP8L");
    private static final int VP8X = chunkType("VP8X");

    private static ImageHeader readWebp(byte[] d) {
        int n = d.length;
        long riffEnd = 8 + (u32le(d, 4) & 0xFFFFFFFFL); // the RIFF size counts everything after its own field
        if (riffEnd > n) {
            throw truncated(ImageFormat.WEBP, d,
                    "the RIFF header declares " + riffEnd + " bytes but only " + n + " are present");
        }
        if (riffEnd < 12 + 8) {
            throw corrupt(ImageFormat.WEBP, d, "the RIFF container holds no chunk");
        }
        int end = (int) riffEnd; // trailing bytes after the RIFF container are ignored, as libwebp does
        int first = u32be(d, 12);
        int width;
        int height;
        boolean alpha;
        if (first == VP8) {
            // Lossy: a 10-byte key-frame header, then 14-bit width and height (the top 2 bits are an upscale hint).
            requireBytes(d, end, 30);
            if ((d[23] & 0xFF) != 0x9D || (d[24] & 0xFF) != 0x01 || (d[25] & 0xFF) != 0x2A) {
                throw corrupt(ImageFormat.WEBP, d, "missing VP8 key-frame start code");
            }
            width = u16le(d, 26) & 0x3FFF;
            height = u16le(d, 28) & 0x3FFF;
            alpha = false;
        } else if (first == VP8L) {
            // Lossless: signature 0x2F, then 14 bits width-1, 14 bits height-1, 1 bit alpha-is-used, 3 bits version.
            requireBytes(d, end, 25);
            if ((d[20] & 0xFF) != 0x2F) {
                throw corrupt(ImageFormat.WEBP, d, "missing VP8L signature");
            }
            int bits = u32le(d, 21);
            width = (bits & 0x3FFF) + 1;
            height = ((bits >>> 14) & 0x3FFF) + 1;
            alpha = ((bits >>> 28) & 1) == 1;
        } else if (first == VP8X) {
            // Extended: a flags byte (0x10 = alpha), 3 reserved bytes, then 24-bit canvas width-1 and height-1.
            requireBytes(d, end, 30);
            alpha = (d[20] & 0x10) != 0;
            width = u24le(d, 24) + 1;
            height = u24le(d, 27) + 1;
        } else {
            throw corrupt(ImageFormat.WEBP, d, "the first chunk is not VP8, VP8L or VP8X");
        }
        if (width == 0 || height == 0) {
            throw corrupt(ImageFormat.WEBP, d, "the header declares " + width + "x" + height + " pixels");
        }
        // Every chunk must fit inside the container; the pad byte after an odd-sized last chunk is optional.
        int pos = 12;
        while (pos < end) {
            if (pos + 8 > end) {
                throw truncated(ImageFormat.WEBP, d, "the data ends inside a chunk header");
            }
            long size = u32le(d, pos + 4) & 0xFFFFFFFFL;
            long chunkEnd = pos + 8 + size;
            if (chunkEnd > end) {
                throw truncated(ImageFormat.WEBP, d, "a chunk runs past the end of the data");
            }
            pos = (int) (chunkEnd + (size & 1));
        }
        return new ImageHeader(ImageFormat.WEBP, width, height, alpha, false);
    }

    private static void requireBytes(byte[] d, int available, int needed) {
        if (available < needed) {
            throw truncated(ImageFormat.WEBP, d, "the data ends inside the image header");
        }
    }

    // ---- helpers ----

    private static RollcallException truncated(ImageFormat format, byte[] d, String why) {
        return new RollcallException(ErrorCode.INVALID_IMAGE, "truncated " + format.displayName() + ": " + why,
                Map.of("format", format.key(), "bytes", (long) d.length));
    }

    private static RollcallException corrupt(ImageFormat format, byte[] d, String why) {
        return new RollcallException(ErrorCode.INVALID_IMAGE, "corrupt " + format.displayName() + " data: " + why,
                Map.of("format", format.key(), "bytes", (long) d.length));
    }

    private static int u16be(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }

    private static int u32be(byte[] d, int i) {
        return (d[i] & 0xFF) << 24 | (d[i + 1] & 0xFF) << 16 | (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
    }

    private static int u16le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8;
    }

    private static int u24le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 | (d[i + 2] & 0xFF) << 16;
    }

    private static int u32le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 | (d[i + 2] & 0xFF) << 16 | (d[i + 3] & 0xFF) << 24;
    }
}

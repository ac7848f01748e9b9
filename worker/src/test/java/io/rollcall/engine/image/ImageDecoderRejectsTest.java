package io.rollcall.engine.image;

import static io.rollcall.engine.image.TestImages.ascii;
import static io.rollcall.engine.image.TestImages.bytes;
import static io.rollcall.engine.image.TestImages.concat;
import static io.rollcall.engine.image.TestImages.devPhoto;
import static io.rollcall.engine.image.TestImages.encode;
import static io.rollcall.engine.image.TestImages.firstWebpChunk;
import static io.rollcall.engine.image.TestImages.pngChunk;
import static io.rollcall.engine.image.TestImages.quadrants;
import static io.rollcall.engine.image.TestImages.u32be;
import static io.rollcall.engine.image.TestImages.u32le;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Everything the decoder must refuse, with the exact error code and a message that says what was wrong. */
class ImageDecoderRejectsTest {

    private static final byte[] PNG_SIGNATURE = bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n');

    private final ImageDecoder decoder = new ImageDecoder();

    // ---- not an image, or not one we accept ----

    @Test
    void emptyBytes() {
        RollcallException e = rejected(decoder, new byte[0]);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("empty image");
    }

    @Test
    void plainText() {
        RollcallException e = rejected(decoder, ascii("Hello, this is a note, not a photo.\n"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("not an image");
    }

    @Test
    void gifIsNamedAsUnsupported() throws IOException {
        // The smallest valid GIF: 1x1, a 2-colour palette, one LZW-coded pixel.
        byte[] gif = concat(ascii("GIF89a"), bytes(1, 0, 1, 0, 0x80, 0, 0), bytes(0, 0, 0, 255, 255, 255),
                bytes(0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0), bytes(2, 2, 0x44, 0x01, 0), bytes(0x3B));
        BufferedImage check = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(gif)));
        assertThat(check.getWidth()).as("the JDK reads it as a real GIF").isEqualTo(1);

        RollcallException e = rejected(decoder, gif);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).isEqualTo("unsupported image format: gif (supported: JPEG, PNG, WebP)");
        assertThat(e.details()).containsEntry("format", "gif");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bmp", "tiff"})
    void otherFormatsOpenCvCouldReadAreStillRefused(String extension) {
        byte[] data;
        try (Mat image = quadrants(32, 24)) {
            data = encode("." + extension, image);
        }
        RollcallException e = rejected(decoder, data);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("unsupported image format: " + extension);
        assertThat(e.details()).containsEntry("format", extension);
    }

    @Test
    void heicIsRecognisedByItsFileTypeBrand() {
        // An iPhone photo starts with an ISO-BMFF 'ftyp' box whose major brand is 'heic'.
        byte[] heic = concat(u32be(24), ascii("ftypheic"), u32be(0), ascii("mif1heic"), new byte[64]);
        RollcallException e = rejected(decoder, heic);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("unsupported image format: heic");
    }

    @Test
    void svgIsRefused() {
        byte[] svg = ascii("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>");
        RollcallException e = rejected(decoder, svg);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("unsupported image format: svg");
    }

    @Test
    void riffThatIsNotWebpIsNotAnImage() {
        byte[] wav = concat(ascii("RIFF"), u32le(36), ascii("WAVEfmt "), new byte[28]);
        RollcallException e = rejected(decoder, wav);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("not an image");
    }

    // ---- truncated or corrupt ----

    @Test
    void jpegCutInHalf() {
        byte[] photo = devPhoto("angelina_jolie/01.jpg");
        RollcallException e = rejected(decoder, Arrays.copyOf(photo, photo.length / 2));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).isEqualTo("truncated JPEG: the data ends before the end-of-image marker (FFD9)");
        assertThat(e.details()).containsEntry("format", "jpeg").containsEntry("bytes", (long) photo.length / 2);
    }

    @Test
    void jpegMissingOnlyItsEndMarker() {
        byte[] photo = devPhoto("angelina_jolie/01.jpg");
        RollcallException e = rejected(decoder, Arrays.copyOf(photo, photo.length - 2));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).startsWith("truncated JPEG: the data ends before the end-of-image marker");
    }

    @Test
    void jpegCutInsideItsHeader() {
        byte[] photo = devPhoto("angelina_jolie/01.jpg");
        RollcallException e = rejected(decoder, Arrays.copyOf(photo, 100));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).isEqualTo("truncated JPEG: the data ends inside the header");
    }

    @Test
    void jpegCutRightAfterAnEmbeddedThumbnailIsStillTruncated() {
        // An EXIF thumbnail is a whole JPEG inside the APP1 segment and ends in FFD9 too: a cut just after it ends
        // in FFD9, yet the outer image is missing. The segment walk skips the thumbnail by its length.
        byte[] thumbnail;
        byte[] main;
        try (Mat small = quadrants(16, 16); Mat large = quadrants(160, 120)) {
            thumbnail = encode(".jpg", small, IMWRITE_JPEG_QUALITY, 80);
            main = encode(".jpg", large, IMWRITE_JPEG_QUALITY, 90);
        }
        byte[] payload = concat(ascii("Exif"), bytes(0, 0), thumbnail);
        int length = payload.length + 2;
        byte[] full = concat(bytes(0xFF, 0xD8, 0xFF, 0xE1, length >> 8, length & 0xFF), payload,
                Arrays.copyOfRange(main, 2, main.length));
        try (DecodedImage whole = decoder.decode(full)) {
            assertThat(whole.width()).as("the uncut file is a valid JPEG").isEqualTo(160);
        }
        byte[] cut = Arrays.copyOf(full, 2 + 4 + 6 + thumbnail.length);
        assertThat(Arrays.copyOfRange(cut, cut.length - 2, cut.length)).containsExactly(0xFF, 0xD9);

        RollcallException e = rejected(decoder, cut);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).startsWith("truncated JPEG");
    }

    @Test
    void jpegTheDecoderCannotReadIsReportedAsCorrupt() {
        byte[] jpeg;
        try (Mat image = quadrants(64, 48)) {
            jpeg = encode(".jpg", image, IMWRITE_JPEG_QUALITY, 90);
        }
        // Structurally complete, but the frame header claims 7-bit samples, which no JPEG decoder supports.
        int sof = indexOf(jpeg, bytes(0xFF, 0xC0));
        jpeg[sof + 4] = 7;
        RollcallException e = rejected(decoder, jpeg);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).startsWith("corrupt or truncated JPEG data");
        assertThat(e.details()).containsEntry("width", 64).containsEntry("height", 48);
    }

    @Test
    void pngCutShort() {
        byte[] png = realPhotoAs(".png");
        RollcallException e = rejected(decoder, Arrays.copyOf(png, png.length * 6 / 10));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).isEqualTo("truncated PNG: the data ends before the IEND chunk");
    }

    @Test
    void pngMissingOnlyItsEndChunk() {
        byte[] png = realPhotoAs(".png");
        RollcallException e = rejected(decoder, Arrays.copyOf(png, png.length - 12));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).startsWith("truncated PNG");
    }

    @Test
    void pngWithDamagedPixelDataIsCorrupt() {
        byte[] png = realPhotoAs(".png");
        int idat = indexOf(png, ascii("IDAT"));
        png[idat + 4 + 100] ^= 0x55; // inside the compressed data: the chunk CRC no longer matches
        RollcallException e = rejected(decoder, png);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).startsWith("corrupt or truncated PNG data");
        assertThat(e.details()).containsEntry("format", "png");
    }

    @ParameterizedTest(name = "quality {0}")
    @ValueSource(ints = {90, 101})
    void webpCutShort(int quality) {
        byte[] webp = realPhotoAs(".webp", IMWRITE_WEBP_QUALITY, quality);
        assertThat(firstWebpChunk(webp)).isEqualTo(quality > 100 ? "VP8L" : "VP8 ");
        RollcallException e = rejected(decoder, Arrays.copyOf(webp, webp.length * 6 / 10));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).startsWith("truncated WebP: the RIFF header declares " + webp.length + " bytes");
    }

    @Test
    void webpWhoseChunkOverrunsTheContainer() {
        byte[] webp = realPhotoAs(".webp", IMWRITE_WEBP_QUALITY, 90);
        byte[] shrunk = webp.clone();
        // Keep the RIFF size consistent with the shorter data, so only the image chunk's own size gives it away.
        int cutLength = webp.length - 1000;
        System.arraycopy(u32le(cutLength - 8), 0, shrunk, 4, 4);
        RollcallException e = rejected(decoder, Arrays.copyOf(shrunk, cutLength));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).isEqualTo("truncated WebP: a chunk runs past the end of the data");
    }

    // ---- too large ----

    @Test
    void pngDeclaringTenGigapixelsIsRefusedFromItsHeader() {
        // A real IHDR with a valid CRC claiming 100000x100000 RGB: 30 GB once decoded.
        byte[] ihdr = concat(u32be(100_000), u32be(100_000), bytes(8, 2, 0, 0, 0));
        byte[] bomb = concat(PNG_SIGNATURE, pngChunk("IHDR", ihdr), pngChunk("IDAT", bytes(0x78, 0x9C, 0x03, 0, 0, 0, 0, 1)),
                pngChunk("IEND", new byte[0]));
        RollcallException e = rejected(decoder, bomb);
        assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(e.getMessage()).contains("PNG declares 100000x100000");
        assertThat(e.details()).contains(entry("format", "png"), entry("width", 100_000), entry("height", 100_000),
                entry("pixels", 10_000_000_000L), entry("limit", ImageLimits.DEFAULT_MAX_PIXELS));
    }

    @Test
    void jpegDeclaringHugeDimensionsIsRefusedFromItsHeader() {
        byte[] jpeg;
        try (Mat image = quadrants(64, 48)) {
            jpeg = encode(".jpg", image, IMWRITE_JPEG_QUALITY, 90);
        }
        int sof = indexOf(jpeg, bytes(0xFF, 0xC0));
        jpeg[sof + 5] = (byte) 0xEA; // height 60000
        jpeg[sof + 6] = (byte) 0x60;
        jpeg[sof + 7] = (byte) 0xEA; // width 60000
        jpeg[sof + 8] = (byte) 0x60;
        RollcallException e = rejected(decoder, jpeg);
        assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(e.getMessage()).contains("JPEG declares 60000x60000");
        assertThat(e.details()).contains(entry("width", 60_000), entry("height", 60_000));
    }

    @Test
    void webpCanvasOverThePixelLimitIsRefusedFromItsHeader() {
        // VP8X canvas 16000x16000 (stored as size - 1, 24-bit little-endian).
        byte[] vp8x = concat(ascii("VP8X"), u32le(10), bytes(0, 0, 0, 0), bytes(0x7F, 0x3E, 0), bytes(0x7F, 0x3E, 0));
        byte[] vp8l = concat(ascii("VP8L"), u32le(6), bytes(0x2F, 0, 0, 0, 0, 0));
        byte[] body = concat(ascii("WEBP"), vp8x, vp8l);
        byte[] webp = concat(ascii("RIFF"), u32le(body.length), body);
        RollcallException e = rejected(decoder, webp);
        assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(e.getMessage()).contains("WebP declares 16000x16000");
        assertThat(e.details()).contains(entry("format", "webp"), entry("pixels", 256_000_000L));
    }

    @Test
    void longSideOverItsLimit() {
        ImageDecoder narrow = new ImageDecoder(ImageLimits.defaults().withMaxSide(100));
        byte[] png;
        try (Mat image = quadrants(200, 50)) {
            png = encode(".png", image);
        }
        RollcallException e = rejected(narrow, png);
        assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(e.getMessage()).contains("longest side may be at most 100 pixels");
        assertThat(e.details()).contains(entry("side", 200), entry("limit", 100L));
    }

    @Test
    void bytesOverAConfiguredLimitAreRefusedButExactlyTheLimitIsNot() {
        byte[] jpeg;
        try (Mat image = quadrants(64, 48)) {
            jpeg = encode(".jpg", image, IMWRITE_JPEG_QUALITY, 90);
        }
        try (DecodedImage atLimit = new ImageDecoder(ImageLimits.defaults().withMaxBytes(jpeg.length)).decode(jpeg)) {
            assertThat(atLimit.width()).isEqualTo(64);
        }
        RollcallException e = rejected(new ImageDecoder(ImageLimits.defaults().withMaxBytes(jpeg.length - 1)), jpeg);
        assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("image is " + jpeg.length + " bytes; the limit is " + (jpeg.length - 1) + " bytes");
        assertThat(e.details()).containsOnly(entry("bytes", (long) jpeg.length), entry("limit", (long) jpeg.length - 1));
    }

    @Test
    void theDefaultLimitIsTenMebibytes() {
        byte[] justOver = new byte[10 * 1024 * 1024 + 1];
        RollcallException e = rejected(decoder, justOver);
        assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(e.details()).contains(entry("bytes", 10_485_761L), entry("limit", 10_485_760L));

        byte[] atLimit = Arrays.copyOf(justOver, 10 * 1024 * 1024);
        assertThat(rejected(decoder, atLimit).code()).as("10 MiB of zeros passes the size check, then is no image")
                .isEqualTo(ErrorCode.INVALID_IMAGE);
    }

    // ---- helpers ----

    static RollcallException rejected(ImageDecoder decoder, byte[] data) {
        RollcallException e = catchThrowableOfType(RollcallException.class, () -> decoder.decode(data).close());
        assertThat(e).as("decoding should have been refused").isNotNull();
        return e;
    }

    /** A 400x300 region of a real photo, re-encoded: realistic compressed data to cut and damage. */
    private static byte[] realPhotoAs(String extension, int... params) {
        try (DecodedImage photo = new ImageDecoder().decode(devPhoto("angelina_jolie/01.jpg"));
             Mat crop = photo.mat().apply(new Rect(400, 500, 400, 300))) {
            return encode(extension, crop, params);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }
}

package io.rollcall.engine.image;

import static io.rollcall.engine.image.TestImages.bytesOf;
import static io.rollcall.engine.image.TestImages.devPhoto;
import static io.rollcall.engine.image.TestImages.encode;
import static io.rollcall.engine.image.TestImages.quadrants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.util.Base64;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Base64 text as browsers and mobile clients send it, and the ways it goes wrong. */
class ImageDecoderBase64Test {

    private static byte[] png;
    private static byte[] expectedBgr;

    private final ImageDecoder decoder = new ImageDecoder();

    @BeforeAll
    static void encodeTestImage() {
        try (Mat image = quadrants(120, 90)) {
            png = encode(".png", image);
            expectedBgr = bytesOf(image);
        }
    }

    @Test
    void plainBase64() {
        assertDecodesTestImage(decoder, Base64.getEncoder().encodeToString(png));
    }

    @Test
    void dataUrlWithAnyCaseMediaType() {
        assertDecodesTestImage(decoder, "DATA:Image/PNG;BASE64," + Base64.getEncoder().encodeToString(png));
        assertDecodesTestImage(decoder, "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
    }

    @Test
    void dataUrlMediaTypeIsNotTrustedOverTheBytes() {
        // A JPEG labelled image/png is still a JPEG: the magic bytes decide.
        String jpeg = Base64.getEncoder().encodeToString(devPhoto("tom_hanks/01.jpg"));
        try (DecodedImage image = decoder.decodeBase64("data:image/png;base64," + jpeg)) {
            assertThat(image.format()).isEqualTo(ImageFormat.JPEG);
        }
    }

    @Test
    void lineBreaksAndSurroundingWhitespaceAreIgnored() {
        String wrapped = Base64.getMimeEncoder().encodeToString(png); // 76-character lines, CRLF
        assertThat(wrapped).contains("\r\n");
        assertDecodesTestImage(decoder, "\n  " + wrapped + "\n\t\n");
    }

    @Test
    void whitespaceInsideFourCharacterGroupsIsIgnored() {
        String text = Base64.getEncoder().encodeToString(png);
        StringBuilder spaced = new StringBuilder();
        for (int i = 0; i < text.length(); i += 7) {
            spaced.append(text, i, Math.min(text.length(), i + 7)).append(i % 2 == 0 ? " " : "\n");
        }
        assertDecodesTestImage(decoder, spaced.toString());
    }

    @Test
    void whitespaceDoesNotCountTowardsTheSizeLimit() {
        // Limit = the image's exact size: the wrapped text is longer than 4/3 of it, the data is not.
        ImageDecoder exact = new ImageDecoder(ImageLimits.defaults().withMaxBytes(png.length));
        String wrapped = Base64.getMimeEncoder(4, new byte[] {'\n'}).encodeToString(png);
        assertThat((long) wrapped.length() * 3 / 4).isGreaterThan(png.length);
        assertDecodesTestImage(exact, wrapped);
    }

    @Test
    void urlSafeAlphabetWithoutPadding() {
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(png);
        assertThat(urlSafe).containsAnyOf("-", "_").doesNotContain("=");
        assertDecodesTestImage(decoder, urlSafe);
    }

    @Test
    void realPhotoThroughADataUrl() {
        byte[] photo = devPhoto("angelina_jolie/02.jpg");
        try (DecodedImage image = decoder.decodeBase64("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(photo));
             DecodedImage direct = decoder.decode(photo)) {
            assertThat(image.toBgrBytes()).isEqualTo(direct.toBgrBytes());
        }
    }

    // ---- refused ----

    @Test
    void emptyText() {
        RollcallException e = rejected(decoder, "");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("empty image");
    }

    @Test
    void whitespaceOnly() {
        RollcallException e = rejected(decoder, " \r\n\t \n");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).isEqualTo("empty image: the base64 text contains no data");
    }

    @Test
    void dataUrlWithNoData() {
        RollcallException e = rejected(decoder, "data:image/jpeg;base64,");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("empty image");
    }

    @Test
    void missingText() {
        RollcallException e = rejected(decoder, null);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("no image");
    }

    @Test
    void invalidCharacterIsNamedWithItsPosition() {
        String text = Base64.getEncoder().encodeToString(png);
        String broken = text.substring(0, 40) + "%" + text.substring(41);
        RollcallException e = rejected(decoder, broken);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).isEqualTo("invalid base64: unexpected character U+0025 at position 40");
        assertThat(e.details()).containsEntry("position", 40);
    }

    @Test
    void nonAsciiCharacterIsInvalid() {
        RollcallException e = rejected(decoder, "iVBORw0KGgo\u00e9AAAA");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("invalid base64: unexpected character U+00E9 at position 11");
    }

    @Test
    void dataUrlOfText() {
        RollcallException e = rejected(decoder, "data:text/plain;base64,SGVsbG8sIHdvcmxkIQ==");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).startsWith("data URL media type text/plain is not an image");
        assertThat(e.details()).containsEntry("media_type", "text/plain");
    }

    @Test
    void dataUrlWithoutMediaTypeMeansText() {
        RollcallException e = rejected(decoder, "data:;base64,SGVsbG8=");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("text/plain is not an image");
    }

    @Test
    void dataUrlThatIsNotBase64() {
        RollcallException e = rejected(decoder, "data:image/svg+xml,%3Csvg%3E%3C/svg%3E");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("data URL is not base64-encoded");
    }

    @Test
    void dataUrlWithoutComma() {
        RollcallException e = rejected(decoder, "data:image/png;base64");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).startsWith("malformed data URL");
    }

    @Test
    void strangeMediaTypesAreNotEchoed() {
        RollcallException e = rejected(decoder, "data:<script>alert(1)</script>;base64,AAAA");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).doesNotContain("script").contains("(unrecognised)");
    }

    @Test
    void dataAfterPadding() {
        RollcallException e = rejected(decoder, "QQ==QUJD");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).isEqualTo("invalid base64: data continues after '=' padding at position 4");
    }

    @Test
    void danglingCharacter() {
        RollcallException e = rejected(decoder, "QUJDR");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("single dangling character");
    }

    @Test
    void tooMuchPadding() {
        RollcallException e = rejected(decoder, "QUI===");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("'=' padding characters");
    }

    @Test
    void validBase64ThatIsNotAnImage() {
        RollcallException e = rejected(decoder, Base64.getEncoder().encodeToString("just some text".getBytes()));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("not an image");
    }

    @Test
    void oversizedTextIsRefusedBeforeDecoding() {
        // 404 characters that are not even base64: only a check on the length alone can answer IMAGE_TOO_LARGE.
        ImageDecoder small = new ImageDecoder(ImageLimits.defaults().withMaxBytes(300));
        RollcallException e = rejected(small, "!".repeat(404));
        assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("image is 303 bytes; the limit is 300 bytes");
        assertThat(e.details()).containsOnly(entry("bytes", 303L), entry("limit", 300L));

        // At exactly the limit the length passes, so decoding runs and finds the bad characters.
        RollcallException atLimit = rejected(small, "!".repeat(400));
        assertThat(atLimit.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(atLimit.getMessage()).contains("invalid base64");
    }

    @Test
    void paddingIsNotCountedAsData() {
        // "QUJD" is 3 bytes, "QQ==" is 1: a limit of 4 bytes admits both, padding included.
        ImageDecoder tiny = new ImageDecoder(ImageLimits.defaults().withMaxBytes(4));
        assertThat(rejected(tiny, "QUJDQQ==").code()).as("4 bytes: within the limit, then not an image")
                .isEqualTo(ErrorCode.INVALID_IMAGE);
        assertThat(rejected(tiny, "QUJDQUI=").code()).as("5 bytes").isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
    }

    // ---- helpers ----

    private static void assertDecodesTestImage(ImageDecoder decoder, String text) {
        try (DecodedImage image = decoder.decodeBase64(text)) {
            assertThat(image.format()).isEqualTo(ImageFormat.PNG);
            assertThat(image.width()).isEqualTo(120);
            assertThat(image.height()).isEqualTo(90);
            assertThat(image.toBgrBytes()).isEqualTo(expectedBgr);
        }
    }

    private static RollcallException rejected(ImageDecoder decoder, String text) {
        RollcallException e = catchThrowableOfType(RollcallException.class, () -> decoder.decodeBase64(text).close());
        assertThat(e).as("decoding should have been refused").isNotNull();
        return e;
    }
}

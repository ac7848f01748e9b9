package io.rollcall.ingress.http;

import io.rollcall.imaging.Base64Image;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A request's base64 photo field: either already decoded while the JSON was parsed, or the text as sent, for
 * {@link Base64Image}'s lenient decoding (data URLs, line breaks anywhere, the URL-safe alphabet, missing padding)
 * and its exact errors.
 *
 * <p>Why two forms: reading a 1 MB photo as a {@code String} first cost the ingress 2.4 ms of JSON text building and
 * 2.5 ms of decoding on a 2-core Xeon, about six megabytes of arrays per request, while Jackson decodes the same
 * field straight from the request bytes in 1.6 ms with only the photo's own array ({@code docs/benchmarks.md}).
 * The direct decoding accepts only the plain standard alphabet; anything else makes the whole body be read again
 * as text ({@link JsonBodyConverter}), so every input gets exactly the answer it got before, and the common upload
 * is the fast one.
 *
 * @param decoded the photo's bytes, when decoded while parsing
 * @param text the base64 text, otherwise
 */
@JsonDeserialize(using = ImageText.Reader.class)
public record ImageText(ByteBuffer decoded, String text) {

    public static ImageText ofText(String text) {
        return new ImageText(null, text);
    }

    /**
     * Set as a reading attribute, it lets the field be decoded while parsing; the value bounds what is accepted so.
     *
     * @param body the whole request body being parsed: a photo decodes to at most three quarters of it, and its
     *             bytes show whether the photo's text was one unbroken run of 4-character groups
     * @param maxImageBytes the largest photo accepted; a larger one is left to the text path, which reports it
     */
    public record DecodeWhileParsing(byte[] body, long maxImageBytes) {
        public static final Object KEY = DecodeWhileParsing.class;
    }

    /** The field is not plain standard base64 within the limits: read the body again, with the photo as text. */
    static final class NotPlainBase64 extends RuntimeException {
        NotPlainBase64(String why) {
            super(why, null, false, false);
        }
    }

    static final class Reader extends ValueDeserializer<ImageText> {
        @Override
        public ImageText deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            if (p.currentToken() != JsonToken.VALUE_STRING
                    || !(ctxt.getAttribute(DecodeWhileParsing.KEY) instanceof DecodeWhileParsing limits)) {
                // Numbers and booleans become text as a String field would take them; objects fail as they did.
                return ofText(ctxt.readValue(p, String.class));
            }
            long open = p.currentTokenLocation().getByteOffset();
            PhotoBytes photo = new PhotoBytes(limits);
            try {
                p.readBinaryValue(Base64Variants.MIME_NO_LINEFEEDS, photo);
            } catch (JacksonException notPlain) {
                throw new NotPlainBase64("not plain base64: " + notPlain.getOriginalMessage());
            }
            if (photo.size == 0 || !unbroken(limits.body(), open, p.currentLocation().getByteOffset(), photo.size)) {
                throw new NotPlainBase64("empty, or not one unbroken run of 4-character groups");
            }
            return new ImageText(ByteBuffer.wrap(photo.bytes, 0, photo.size), null);
        }

        /**
         * Whether the string between the quotes at {@code open} and {@code afterClose - 1} was nothing but 4-character
         * groups with padding only at its end. Jackson's decoder is more lenient than {@link Base64Image} in two ways:
         * it accepts padding between groups ({@code "AA==AAAA"}) and skips whitespace and escaped control characters
         * between groups. With G groups, P padding characters and E characters besides the groups, the text is
         * 4G + E long and decodes to 3G - P bytes, so 3/4 of the length less the bytes is 3E/4 + P; that equals the
         * padding at the very end only when E = 0 and all padding is at the end. Everything else takes the text path
         * and gets its answer from there, as before.
         */
        static boolean unbroken(byte[] body, long open, long afterClose, int decoded) {
            if (open < 0 || afterClose < open + 2 || afterClose > body.length
                    || body[(int) open] != '"' || body[(int) afterClose - 1] != '"') {
                return false;
            }
            long length = afterClose - open - 2;
            int last = (int) afterClose - 2;
            int trailingPadding = body[last] != '=' ? 0 : body[last - 1] == '=' ? 2 : 1;
            return length % 4 == 0 && length / 4 * 3 - decoded == trailingPadding;
        }
    }

    /** The decoded photo, in one array sized from the body, refusing to grow past the image limit. */
    private static final class PhotoBytes extends OutputStream {
        private final long limit;
        private byte[] bytes;
        private int size;

        PhotoBytes(DecodeWhileParsing limits) {
            this.limit = limits.maxImageBytes();
            this.bytes = new byte[(int) Math.min(limit, limits.body().length / 4L * 3 + 3)];
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (size + (long) len > limit) {
                throw new NotPlainBase64("larger than the image limit");
            }
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(2L * bytes.length, size + (long) len)));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    }
}

package io.rollcall.ingress.http;

import io.rollcall.imaging.Base64Image;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
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
 * 2.5 ms of decoding on a 2-core Xeon, about six megabytes of arrays per request. Decoded while parsing, the field
 * costs one pass over the request's own bytes with the JDK's decoder, whose loop is a HotSpot intrinsic, and the
 * parser's skip over the string ({@code docs/benchmarks.md}). The direct decoding accepts only the plain standard
 * alphabet; anything else makes the whole body be read again as text ({@link JsonBodyConverter}), so every input
 * gets exactly the answer it got before, and the common upload is the fast one.
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
     * @param body the whole request body being parsed, from which a photo field's text is decoded in place
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
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final long ONES = 0x0101010101010101L;
        private static final long QUOTES = '"' * ONES;

        @Override
        public ImageText deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            if (p.currentToken() != JsonToken.VALUE_STRING
                    || !(ctxt.getAttribute(DecodeWhileParsing.KEY) instanceof DecodeWhileParsing limits)) {
                // Numbers and booleans become text as a String field would take them; objects fail as they did.
                return ofText(ctxt.readValue(p, String.class));
            }
            // The parser has not read the string yet; it skips it when asked for the next token.
            return new ImageText(decode(limits.body(), p.currentTokenLocation().getByteOffset(), limits.maxImageBytes()), null);
        }

        /**
         * Decodes the JSON string whose opening quote is at {@code open}, when it is nothing but 4-character groups of
         * the standard alphabet with padding only at its end: the JDK's strict decoder refuses every other character
         * (a backslash of an escape, whitespace, a data URL's colon, the URL-safe alphabet) and padding anywhere
         * else, and the length must be whole groups, since it would also take missing padding. Everything else takes
         * the text path and gets its answer from there, as before.
         *
         * @throws NotPlainBase64 for anything but that, for an empty string, and past the image limit
         */
        static ByteBuffer decode(byte[] body, long open, long maxImageBytes) {
            if (open < 0 || open >= body.length || body[(int) open] != '"') {
                throw new NotPlainBase64("no string at the token's offset");
            }
            int from = (int) open + 1;
            int close = indexOfQuote(body, from);
            int length = close - from;
            if (close < 0 || length == 0 || length % 4 != 0) {
                throw new NotPlainBase64("empty, unterminated, or not whole 4-character groups");
            }
            if (length / 4L * 3 - padding(body, close) > maxImageBytes) {
                throw new NotPlainBase64("larger than the image limit");
            }
            try {
                return Base64.getDecoder().decode(ByteBuffer.wrap(body, from, length));
            } catch (IllegalArgumentException e) {
                throw new NotPlainBase64("not plain standard base64");
            }
        }

        private static int padding(byte[] body, int close) {
            return body[close - 1] != '=' ? 0 : body[close - 2] == '=' ? 2 : 1;
        }

        /**
         * The first {@code "} at or after {@code from}, or -1: eight bytes a step (a byte equal to the quote becomes
         * zero, and the lowest zero byte of a word is found exactly by the borrow trick), since a plain loop over a
         * 1.3 MB photo costs about as much as decoding it.
         */
        static int indexOfQuote(byte[] b, int from) {
            int i = from;
            for (; i <= b.length - Long.BYTES; i += Long.BYTES) {
                long v = (long) LONGS.get(b, i) ^ QUOTES;
                long zeros = (v - ONES) & ~v & (ONES << 7);
                if (zeros != 0) {
                    return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
                }
            }
            for (; i < b.length; i++) {
                if (b[i] == '"') {
                    return i;
                }
            }
            return -1;
        }
    }
}

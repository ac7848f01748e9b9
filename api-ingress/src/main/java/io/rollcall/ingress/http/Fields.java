package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.imaging.Base64Image;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * Validation of request fields, each failure a {@code VALIDATION_ERROR} naming the field as the client spelt it.
 * Limits follow the school database's columns: codes are nchar(10), names nvarchar(200), file names varchar(255).
 * Public for the bulk import, whose CSV rows are validated field by field exactly as an enrollment's: every way a
 * code or a name enters the service passes here.
 *
 * <p>Text is normalised to NFC, so that the same name typed on two keyboards is the same text, and text a reader
 * cannot see is refused rather than stored: control characters, format characters (zero-width spaces,
 * bidirectional overrides that show {@code "S001"} for another code, byte-order marks), unpaired surrogates and
 * line or paragraph separators. A person code, which identifies, also refuses every space but the ASCII one: a code
 * padded with a no-break or thin space looks like another pupil's.
 */
public final class Fields {
    static final int MAX_NAME = 200;
    public static final int MAX_FILE_NAME = 255;

    private Fields() {
    }

    public static PersonType personType(String field, String value) {
        String v = required(field, value);
        try {
            return PersonType.fromWireName(v.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(field, field + " must be 'student' or 'teacher', got '" + abbreviate(v) + "'");
        }
    }

    /** {@code null} (no filter) when absent; "all" also means no filter. */
    public static PersonType personTypeFilter(String field, String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("all")) {
            return null;
        }
        return personType(field, value);
    }

    public static PersonRef person(String type, String code) {
        PersonType t = personType("person_type", type);
        return new PersonRef(t, personCode("person_code", code));
    }

    /**
     * A person code as {@code nchar(10)} holds it: 1 to 10 characters once stripped, in NFC, nothing a reader cannot
     * see (see the class comment).
     */
    public static String personCode(String field, String code) {
        String c = visibleCode(field, required(field, code));
        if (c.length() > PersonRef.MAX_CODE_LENGTH) {
            throw invalid(field, field + " must be at most " + PersonRef.MAX_CODE_LENGTH + " characters, got " + c.length());
        }
        try {
            return new PersonRef(PersonType.STUDENT, c).code();
        } catch (IllegalArgumentException e) {
            throw invalid(field, field + " is not valid: " + e.getMessage());
        }
    }

    public static String personName(String value) {
        String v = required("person_name", value);
        return limited("person_name", v, MAX_NAME);
    }

    public static String optionalText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return limited(field, value.trim(), max);
    }

    /**
     * A cosine similarity threshold in (0, 1], at least {@code floor} ({@code MIN_SIMILARITY_THRESHOLD}): below it
     * strangers match enrolled people; {@code null} means the service default.
     */
    public static Double threshold(Double value, double floor) {
        if (value == null) {
            return null;
        }
        if (value.isNaN() || value <= 0 || value > 1) {
            throw invalid("similarity_threshold", "similarity_threshold must be greater than 0 and at most 1, got " + value);
        }
        if (value < floor) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "similarity_threshold must be at least " + floor
                    + " (MIN_SIMILARITY_THRESHOLD): lower thresholds match strangers to enrolled people, got " + value,
                    Map.of("field", "similarity_threshold", "minimum", floor));
        }
        return value;
    }

    public static Integer sessionId(Integer value) {
        if (value != null && value <= 0) {
            throw invalid("session_id", "session_id must be a positive integer, got " + value);
        }
        return value;
    }

    /** A photo field: decoded while parsing already, or decoded here from its text, which names what is wrong. */
    public static java.nio.ByteBuffer image(String field, ImageText image, long maxBytes) {
        if (image != null && image.decoded() != null) {
            try {
                // Refused while parsing already; kept as the last guard of the limit.
                Base64Image.checkSize(image.decoded().remaining(), maxBytes);
            } catch (RollcallException e) {
                throw naming(field, e);
            }
            return image.decoded();
        }
        return java.nio.ByteBuffer.wrap(image(field, image == null ? null : image.text(), maxBytes));
    }

    public static byte[] image(String field, String base64, long maxBytes) {
        if (base64 == null || base64.isBlank()) {
            throw invalid(field, field + " is required");
        }
        try {
            return Base64Image.decode(base64, maxBytes);
        } catch (RollcallException e) {
            throw naming(field, e);
        }
    }

    /** The photo's error with the field it came from, in the message and the details. */
    private static RollcallException naming(String field, RollcallException e) {
        Map<String, Object> details = new java.util.HashMap<>(e.details());
        details.put("field", field);
        return new RollcallException(e.code(), field + ": " + e.getMessage(), details);
    }

    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field, field + " is required");
        }
        return value.trim();
    }

    public static RollcallException invalid(String field, String message) {
        return new RollcallException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field));
    }

    private static String limited(String field, String value, int max) {
        String text = visibleText(field, value, false);
        if (text.length() > max) {
            throw invalid(field, field + " must be at most " + max + " characters, got " + text.length());
        }
        return text;
    }

    /** A code as the school writes it: NFC, nothing invisible, no space but ASCII's, without surrounding spaces. */
    private static String visibleCode(String field, String value) {
        return visibleText(field, value, true).strip();
    }

    /**
     * {@code value} in NFC, refusing what a reader cannot see (see the class comment).
     *
     * @param identifier also refuse every space but U+0020, and the zero-width joiners names may need
     */
    private static String visibleText(String field, String value, boolean identifier) {
        String text = Normalizer.isNormalized(value, Normalizer.Form.NFC) ? value : Normalizer.normalize(value, Normalizer.Form.NFC);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String refused = switch (Character.getType(cp)) {
                case Character.CONTROL -> "control characters";
                case Character.FORMAT -> identifier || !joinerBetweenLetters(text, i, cp)
                        ? "invisible format characters (zero-width, bidirectional controls)" : null;
                case Character.SURROGATE -> "unpaired surrogates";
                case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "line or paragraph separators";
                case Character.SPACE_SEPARATOR -> identifier && cp != ' ' ? "spaces other than the ASCII space" : null;
                default -> null;
            };
            if (refused != null) {
                throw new RollcallException(ErrorCode.VALIDATION_ERROR, field + " must not contain " + refused
                        + String.format(Locale.ROOT, " (U+%04X, character %d)", cp, text.codePointCount(0, i) + 1),
                        Map.of("field", field));
            }
            i += Character.charCount(cp);
        }
        return text;
    }

    /**
     * A zero-width non-joiner or joiner inside a word, between letters or their combining marks (an Indic virama):
     * Persian and Indic names are spelt with them, so a name keeps them there (IDNA's CONTEXTJ rule, simplified).
     * Anywhere else they only hide.
     */
    private static boolean joinerBetweenLetters(String text, int at, int cp) {
        if ((cp != 0x200C && cp != 0x200D) || at == 0 || at + 1 >= text.length()) {
            return false;
        }
        return inWord(text.codePointBefore(at)) && inWord(text.codePointAt(at + 1));
    }

    private static boolean inWord(int cp) {
        int type = Character.getType(cp);
        return Character.isLetter(cp) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    private static String abbreviate(String v) {
        return v.length() <= 20 ? v : v.substring(0, 20) + "…";
    }
}

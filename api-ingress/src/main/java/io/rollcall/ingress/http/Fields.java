package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.imaging.Base64Image;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import java.util.Locale;
import java.util.Map;

/**
 * Validation of request fields, each failure a {@code VALIDATION_ERROR} naming the field as the client spelt it.
 * Limits follow the school database's columns: codes are nchar(10), names nvarchar(200), file names varchar(255).
 * Public for the bulk import, whose CSV rows are validated field by field exactly as an enrollment's.
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

    /** A person code as {@code nchar(10)} holds it: 1 to 10 characters once stripped, no control characters. */
    public static String personCode(String field, String code) {
        String c = required(field, code);
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

    /** A cosine similarity threshold in (0, 1]; {@code null} means the service default. */
    public static Double threshold(Double value) {
        if (value == null) {
            return null;
        }
        if (value.isNaN() || value <= 0 || value > 1) {
            throw invalid("similarity_threshold", "similarity_threshold must be greater than 0 and at most 1, got " + value);
        }
        return value;
    }

    public static Integer sessionId(Integer value) {
        if (value != null && value <= 0) {
            throw invalid("session_id", "session_id must be a positive integer, got " + value);
        }
        return value;
    }

    public static byte[] image(String field, String base64, long maxBytes) {
        if (base64 == null || base64.isBlank()) {
            throw invalid(field, field + " is required");
        }
        try {
            return Base64Image.decode(base64, maxBytes);
        } catch (RollcallException e) {
            Map<String, Object> details = new java.util.HashMap<>(e.details());
            details.put("field", field);
            throw new RollcallException(e.code(), field + ": " + e.getMessage(), details);
        }
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
        if (value.length() > max) {
            throw invalid(field, field + " must be at most " + max + " characters, got " + value.length());
        }
        if (value.chars().anyMatch(ch -> ch < 0x20 && ch != '\t')) {
            throw invalid(field, field + " must not contain control characters");
        }
        return value;
    }

    private static String abbreviate(String v) {
        return v.length() <= 20 ? v : v.substring(0, 20) + "…";
    }
}

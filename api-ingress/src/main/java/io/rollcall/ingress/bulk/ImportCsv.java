package io.rollcall.ingress.bulk;

import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.imaging.ImportPath;
import io.rollcall.ingress.http.Fields;
import io.rollcall.person.PersonRef;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The bulk-import CSV: one row per photo, header {@code person_type,person_code,person_name,image_path}.
 *
 * <p>Lenient about the header: columns in any order, names in any case, with spaces or hyphens for underscores
 * ({@code Person Code}), surrounding spaces ignored, other columns ignored, a UTF-8 byte-order mark (as Excel writes
 * it) skipped. Strict about the values: every row is validated exactly as {@code POST /api/face/enroll} validates
 * the same fields ({@link Fields}), and {@code image_path} by the contract's {@link ImportPath} rule. Blank lines
 * are skipped; line numbers are those of the file (1 is the header), also for rows with quoted line breaks.
 */
public final class ImportCsv {
    /** The columns, in the order this class writes them. */
    public static final List<String> COLUMNS = List.of("person_type", "person_code", "person_name", "image_path");
    /** Rows per import: a large school's photo day, and a job message (about 0.5 KiB a row) well inside Kafka's limit. */
    public static final int MAX_ROWS = 10_000;
    /** Bytes of CSV accepted: {@link #MAX_ROWS} rows of generous width (the ingress sizes its body limit by it). */
    public static final int MAX_BYTES = IngressSettings.MAX_CSV_BYTES;
    /** Invalid rows listed in one error; the count says how many there were in all. */
    static final int MAX_LISTED_ERRORS = 100;

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(false) // blank lines are skipped below, so that line numbers stay the file's
            .get();

    private ImportCsv() {
    }

    /** One valid row: a photo to enroll, and the line of the CSV it came from. */
    public record Row(int line, PersonRef person, String personName, ImportPath imagePath) {
    }

    /**
     * Validates one row's values as the parser does.
     *
     * @throws RollcallException {@code VALIDATION_ERROR} naming the first invalid field
     */
    public static Row row(int line, String personType, String personCode, String personName, String imagePath) {
        PersonRef person = Fields.person(personType, personCode);
        String name = Fields.personName(personName);
        if (imagePath == null || imagePath.isBlank()) {
            throw Fields.invalid("image_path", "image_path is required");
        }
        try {
            return new Row(line, person, name, new ImportPath(imagePath.strip()));
        } catch (IllegalArgumentException e) {
            throw Fields.invalid("image_path", e.getMessage());
        }
    }

    /**
     * Reads and validates a whole CSV; nothing is returned unless every row is valid.
     *
     * @throws RollcallException {@code VALIDATION_ERROR}: not UTF-8, malformed CSV, a missing or repeated column,
     *                           no rows, more than {@link #MAX_ROWS} rows, or invalid rows (listed in
     *                           {@code details.errors} as {@code {line, field, message}}); {@code REQUEST_TOO_LARGE}
     *                           over {@link #MAX_BYTES}
     */
    public static List<Row> parse(byte[] csv) {
        if (csv.length > MAX_BYTES) {
            throw tooLarge(csv.length);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(csv)).toString();
        } catch (CharacterCodingException e) {
            throw csvError("The CSV is not UTF-8 text; save it as CSV UTF-8", Map.of());
        }
        return parse(text);
    }

    /** As {@link #parse(byte[])}, for text already decoded. */
    public static List<Row> parse(String csv) {
        if (csv.length() > MAX_BYTES) {
            throw tooLarge(csv.length());
        }
        String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv;
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(FORMAT).get()) {
            return rows(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    private static List<Row> rows(CSVParser parser) {
        Iterator<CSVRecord> records = parser.iterator();
        Map<String, Integer> columns = null;
        int width = 0;
        List<Row> rows = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        int errorCount = 0;
        while (true) {
            int line = (int) parser.getCurrentLineNumber() + 1;
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    break;
                }
                record = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw csvError("The CSV is malformed: " + cause.getMessage(), Map.of("line", line));
            }
            if (record.stream().allMatch(String::isBlank)) {
                continue;
            }
            if (columns == null) {
                columns = header(record, line);
                width = record.size();
                continue;
            }
            if (rows.size() + errorCount >= MAX_ROWS) {
                throw csvError("The CSV has more than " + MAX_ROWS + " rows; split it into several imports",
                        Map.of("max_rows", MAX_ROWS));
            }
            try {
                if (record.size() != width) {
                    throw Fields.invalid("csv", "the row has " + record.size() + " fields, the header " + width);
                }
                rows.add(row(line, value(record, columns, "person_type"), value(record, columns, "person_code"),
                        value(record, columns, "person_name"), value(record, columns, "image_path")));
            } catch (RollcallException e) {
                errorCount++;
                if (errors.size() < MAX_LISTED_ERRORS) {
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("line", line);
                    error.put("field", e.details().getOrDefault("field", "csv"));
                    error.put("message", e.getMessage());
                    errors.add(error);
                }
            }
        }
        if (columns == null) {
            throw csvError("The CSV is empty; its first line must be the header " + String.join(",", COLUMNS), Map.of());
        }
        if (errorCount > 0) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("error_count", errorCount);
            details.put("errors", errors);
            throw csvError(errorCount + (errorCount == 1 ? " row is" : " rows are") + " invalid (first on line "
                    + errors.getFirst().get("line") + "); nothing was imported", details);
        }
        if (rows.isEmpty()) {
            throw csvError("The CSV has a header but no rows", Map.of());
        }
        return rows;
    }

    /** Column positions by normalised name; every required column present exactly once. */
    private static Map<String, Integer> header(CSVRecord record, int line) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < record.size(); i++) {
            String name = record.get(i).strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
            if (COLUMNS.contains(name) && columns.putIfAbsent(name, i) != null) {
                throw csvError("The header names column " + name + " twice", Map.of("line", line));
            }
        }
        List<String> missing = COLUMNS.stream().filter(c -> !columns.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw csvError("The header lacks " + String.join(", ", missing) + "; the first line must name the columns "
                    + String.join(",", COLUMNS), Map.of("line", line, "missing", missing));
        }
        return columns;
    }

    private static String value(CSVRecord record, Map<String, Integer> columns, String column) {
        return record.get(columns.get(column));
    }

    /**
     * Writes rows as a CSV this class reads back, header first; quoting where a value needs it.
     */
    public static void write(List<Row> rows, Appendable out) throws IOException {
        CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180);
        printer.printRecord(COLUMNS);
        for (Row row : rows) {
            printer.printRecord(row.person().type().wireName(), row.person().code(), row.personName(), row.imagePath().value());
        }
        printer.flush();
    }

    private static RollcallException csvError(String message, Map<String, Object> details) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("field", "csv");
        all.putAll(details);
        return new RollcallException(ErrorCode.VALIDATION_ERROR, message, all);
    }

    static RollcallException tooLarge(long bytes) {
        return new RollcallException(ErrorCode.REQUEST_TOO_LARGE, "The CSV is " + bytes + " bytes; the limit is " + MAX_BYTES,
                Map.of("bytes", bytes, "limit", MAX_BYTES));
    }
}

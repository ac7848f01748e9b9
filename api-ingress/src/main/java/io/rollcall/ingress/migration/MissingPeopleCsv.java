package io.rollcall.ingress.migration;

import java.io.IOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import tools.jackson.databind.JsonNode;

/**
 * The people a migration left without a usable photo, as a CSV for re-enrollment: {@code person_type, person_code,
 * person_name, reason}, from the report's {@code missing} list. The one writer of this file, for
 * {@code GET /api/admin/migration/{id}/missing.csv} and for {@code ./rollcall migrate --missing}.
 */
public final class MissingPeopleCsv {
    public static final List<String> COLUMNS = List.of("person_type", "person_code", "person_name", "reason");

    private MissingPeopleCsv() {
    }

    /** Writes the header and a row per person in the report's {@code missing} list (a person without a name: empty). */
    public static void write(JsonNode report, Appendable out) throws IOException {
        CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180);
        printer.printRecord(COLUMNS);
        for (JsonNode person : report.path("missing")) {
            printer.printRecord(COLUMNS.stream().map(c -> person.path(c).isString() ? person.path(c).asString() : "").toList());
        }
        printer.flush();
    }
}

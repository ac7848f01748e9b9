package io.rollcall.ingress.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.imaging.ImportPath;
import io.rollcall.person.PersonRef;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ImportCsvTest {

    @Test
    void readsEveryRowWithItsLineNumber() {
        List<ImportCsv.Row> rows = ImportCsv.parse("""
                person_type,person_code,person_name,image_path
                student,S001,Ada Lovelace,student/S001_Ada Lovelace/1.jpg
                teacher,T01,"Hopper, Grace",teacher/T01/portrait.png
                """);

        assertThat(rows).containsExactly(
                new ImportCsv.Row(2, PersonRef.student("S001"), "Ada Lovelace", new ImportPath("student/S001_Ada Lovelace/1.jpg")),
                new ImportCsv.Row(3, PersonRef.teacher("T01"), "Hopper, Grace", new ImportPath("teacher/T01/portrait.png")));
    }

    @Test
    void isLenientAboutTheHeaderCaseOrderSpacesBomAndExtraColumns() {
        List<ImportCsv.Row> rows = ImportCsv.parse("\uFEFF Image Path ,NOTES,Person-Name,PERSON_CODE,person type\r\n"
                + "a/1.jpg,seen twice,Ada,S001,Student\r\n");

        assertThat(rows).containsExactly(new ImportCsv.Row(2, PersonRef.student("S001"), "Ada", new ImportPath("a/1.jpg")));
    }

    @Test
    void skipsBlankLinesAndKeepsTheFilesLineNumbersAcrossQuotedLineBreaks() {
        List<ImportCsv.Row> rows = ImportCsv.parse("""
                person_type,person_code,person_name,image_path

                student,S001,Ada,"student/S001/1.jpg"
                  ,  ,  ,
                student,S002,Bob,a/2.jpg
                """);
        assertThat(rows).extracting(ImportCsv.Row::line).containsExactly(3, 5);

        assertRejected("""
                person_type,person_code,person_name,image_path
                student,S001,"Ada
                Lovelace",a/1.jpg
                student,S002,Bob,
                """, details -> assertThat(details.get("errors")).isEqualTo(List.of(
                        error(2, "person_name", "person_name must not contain control characters (U+000A, character 4)"),
                        error(4, "image_path", "image_path is required"))),
                "2 rows are invalid (first on line 2); nothing was imported");
    }

    @Test
    void rowsFollowTheEnrollmentsTextRules() {
        assertRejected("""
                person_type,person_code,person_name,image_path
                student,S001\u00A0,Ada,a/1.jpg
                student,S0\u200B02,Bob,a/2.jpg
                student,S003,Eve \u202Eevil,a/3.jpg
                """, details -> assertThat(details.get("errors")).isEqualTo(List.of(
                        error(2, "person_code", "person_code must not contain spaces other than the ASCII space (U+00A0, character 5)"),
                        error(3, "person_code", "person_code must not contain invisible format characters (zero-width, bidirectional controls) (U+200B, character 3)"),
                        error(4, "person_name", "person_name must not contain invisible format characters (zero-width, bidirectional controls) (U+202E, character 5)"))),
                "3 rows are invalid (first on line 2); nothing was imported");
        assertThat(ImportCsv.parse("person_type,person_code,person_name,image_path\nstudent,Ame\u0301lie,Zoe\u0308,a/1.jpg\n")
                .getFirst()).satisfies(row -> {
                    assertThat(row.person().code()).isEqualTo("Am\u00E9lie");
                    assertThat(row.personName()).isEqualTo("Zo\u00EB");
                });
    }

    @Test
    void listsEveryInvalidRowWithItsLineFieldAndTheEnrollMessage() {
        assertRejected("""
                person_type,person_code,person_name,image_path
                student,S001,Ada,a/1.jpg
                staff,X1,Xavier,a/2.jpg
                student,S12345678901,Long Code,a/3.jpg
                teacher,,No Code,a/4.jpg
                student,S005,,a/5.jpg
                student,S006,Eve,../outside.jpg
                student,S007,Mallory,/etc/passwd
                student,S008,Trent,
                student,S009,Too Few
                """, details -> {
            assertThat(details).containsEntry("field", "csv").containsEntry("error_count", 8);
            assertThat(details.get("errors")).isEqualTo(List.of(
                    error(3, "person_type", "person_type must be 'student' or 'teacher', got 'staff'"),
                    error(4, "person_code", "person_code must be at most 10 characters, got 12"),
                    error(5, "person_code", "person_code is required"),
                    error(6, "person_name", "person_name is required"),
                    error(7, "image_path", "image_path must not contain '..' segments"),
                    error(8, "image_path", "image_path must be relative to the import folder, not absolute: '/etc/passwd'"),
                    error(9, "image_path", "image_path is required"),
                    error(10, "csv", "the row has 3 fields, the header 4")));
        }, "8 rows are invalid (first on line 3); nothing was imported");
    }

    @Test
    void listsAtMostAHundredInvalidRowsButCountsThemAll() {
        StringBuilder csv = new StringBuilder("person_type,person_code,person_name,image_path\n");
        for (int i = 0; i < 150; i++) {
            csv.append("pupil,P").append(i).append(",Name,a/").append(i).append(".jpg\n");
        }

        assertRejected(csv.toString(), details -> {
            assertThat(details).containsEntry("error_count", 150);
            assertThat((List<?>) details.get("errors")).hasSize(100);
        }, "150 rows are invalid (first on line 2); nothing was imported");
    }

    @Test
    void refusesAMalformedCsvNamingTheLine() {
        assertRejected("""
                person_type,person_code,person_name,image_path
                student,S001,Ada,a/1.jpg
                student,S002,"Bob,a/2.jpg
                """, details -> assertThat(details).containsEntry("line", 3),
                "The CSV is malformed: (startline 3) EOF reached before encapsulated token finished");
    }

    @Test
    void refusesAHeaderThatLacksAColumnOrNamesOneTwice() {
        assertRejected("person_type,person_code,image_path\nstudent,S001,a/1.jpg\n",
                details -> assertThat(details).containsEntry("missing", List.of("person_name")),
                "The header lacks person_name; the first line must name the columns person_type,person_code,person_name,image_path");
        assertRejected("person_type,person_code,person_name,image_path,Person Code\n",
                details -> assertThat(details).containsEntry("line", 1), "The header names column person_code twice");
    }

    @Test
    void refusesAnEmptyCsvAHeaderWithoutRowsAndTooManyRows() {
        assertRejected("\n\n", details -> { }, "The CSV is empty; its first line must be the header person_type,person_code,person_name,image_path");
        assertRejected("person_type,person_code,person_name,image_path\n", details -> { }, "The CSV has a header but no rows");
        StringBuilder csv = new StringBuilder("person_type,person_code,person_name,image_path\n");
        for (int i = 0; i <= ImportCsv.MAX_ROWS; i++) {
            csv.append("student,S").append(i).append(",Name,a/").append(i).append(".jpg\n");
        }
        assertRejected(csv.toString(), details -> assertThat(details).containsEntry("max_rows", 10_000),
                "The CSV has more than 10000 rows; split it into several imports");
    }

    @Test
    void refusesTextThatIsNotUtf8AndBodiesOverTheLimit() {
        byte[] latin1 = "person_type,person_code,person_name,image_path\nstudent,S001,Zoë,a/1.jpg\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ImportCsv.parse(latin1)).isInstanceOfSatisfying(RollcallException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.getMessage()).isEqualTo("The CSV is not UTF-8 text; save it as CSV UTF-8");
        });
        assertThatThrownBy(() -> ImportCsv.parse(new byte[ImportCsv.MAX_BYTES + 1])).isInstanceOfSatisfying(RollcallException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_TOO_LARGE));
    }

    @Test
    void whatItWritesItReadsBack() throws Exception {
        List<ImportCsv.Row> rows = List.of(
                new ImportCsv.Row(2, PersonRef.student("S001"), "Hopper, \"Amazing\" Grace", new ImportPath("student/S001 Grace/1.jpg")),
                new ImportCsv.Row(3, PersonRef.teacher("T01"), "Alan Turing", new ImportPath("teacher/T01_Alan_Turing/a,b.jpg")));
        StringBuilder out = new StringBuilder();

        ImportCsv.write(rows, out);

        assertThat(out.toString()).startsWith("person_type,person_code,person_name,image_path\r\n");
        assertThat(ImportCsv.parse(out.toString())).isEqualTo(rows);
    }

    private static Map<String, Object> error(int line, String field, String message) {
        return Map.of("line", line, "field", field, "message", message);
    }

    private static void assertRejected(String csv, Consumer<Map<String, Object>> details, String message) {
        assertThatThrownBy(() -> ImportCsv.parse(csv.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo(message);
                    details.accept(e.details());
                });
    }
}

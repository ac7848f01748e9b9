package io.rollcall.migrate;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.storage.MigrationCandidate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who one migration run takes, and whether it writes.
 *
 * @param only   students or teachers only; empty for both
 * @param campus only people whose {@code Student.Campus} / {@code Teacher.Campus} is this (ignoring case and
 *               surrounding spaces); null for every campus. People known only from old {@code FaceData} rows have no
 *               campus and are left out by it
 * @param form   only students whose {@code Student.Form} is this (ignoring case); null for every form. Teachers have
 *               no form and are left out by it
 * @param codes  only these person codes (exactly, of either type); empty for everyone
 * @param limit  at most this many people, in the run's order (students, then teachers, each by code); null for all
 * @param dryRun run every rule on every photo and report, writing nothing and publishing nothing
 */
public record MigrationOptions(Optional<PersonType> only, String campus, String form, Set<String> codes, Integer limit,
                               boolean dryRun) {

    /** Widths of {@code Campus} ({@code nvarchar(50)}) and {@code Form} ({@code nvarchar(100)}). */
    static final int MAX_CAMPUS = 50;
    static final int MAX_FORM = 100;
    /** Codes in one run: a large school's whole roll, and a job message far inside Kafka's limit. */
    public static final int MAX_CODES = 50_000;

    /** @throws RollcallException {@code VALIDATION_ERROR} naming the option that is wrong */
    public MigrationOptions {
        Objects.requireNonNull(only, "only");
        campus = text("campus", campus, MAX_CAMPUS);
        form = text("form", form, MAX_FORM);
        Set<String> clean = new LinkedHashSet<>();
        for (String code : codes == null ? Set.<String>of() : codes) {
            try {
                clean.add(new PersonRef(PersonType.STUDENT, code).code());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw invalid("codes", "codes: '" + code + "' is not a person code (" + e.getMessage() + ")");
            }
        }
        if (clean.size() > MAX_CODES) {
            throw invalid("codes", "codes: at most " + MAX_CODES + " codes per run, got " + clean.size());
        }
        codes = Set.copyOf(clean);
        if (limit != null && limit < 1) {
            throw invalid("limit", "limit must be at least 1, got " + limit);
        }
    }

    /** Everyone, for real. */
    public static MigrationOptions everyone() {
        return new MigrationOptions(Optional.empty(), null, null, Set.of(), null, false);
    }

    /** Whether the filters take this person (the limit and who is already migrated are the run's to apply). */
    boolean selects(MigrationCandidate c) {
        if (only.isPresent() && c.person().type() != only.get()) {
            return false;
        }
        if (campus != null && (c.campus() == null || !c.campus().equalsIgnoreCase(campus))) {
            return false;
        }
        if (form != null && (c.person().type() != PersonType.STUDENT || c.form() == null || !c.form().equalsIgnoreCase(form))) {
            return false;
        }
        return codes.isEmpty() || codes.contains(c.person().code());
    }

    /** The options as the report and the batch record show them: the codes counted, not listed. */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("person_type", only.map(PersonType::wireName).orElse("all"));
        d.put("campus", campus);
        d.put("form", form);
        d.put("codes", codes.size());
        d.put("limit", limit);
        d.put("dry_run", dryRun);
        return d;
    }

    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            throw invalid(field, field + " must be at most " + max + " characters, got " + v.length());
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw invalid(field, field + " must not contain control characters");
        }
        return v;
    }

    private static RollcallException invalid(String field, String message) {
        return new RollcallException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field));
    }

    @Override
    public String toString() {
        return "MigrationOptions" + describe();
    }
}

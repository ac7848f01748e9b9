package io.rollcall.storage;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The school's {@code Student} and {@code Teacher} tables: finding a person by code, adding the row for a person
 * enrolled under a code the school does not know yet, and renaming a person an enrollment names differently.
 * Rollcall changes nothing else in these rows and never deletes one.
 *
 * <p>The tables have no unique constraint on the code, and schools' data may already repeat one; the oldest row
 * (lowest {@code Id}) is the person.
 */
public final class PersonRepository {

    /** Width of {@code StudentName}/{@code TeacherName} ({@code nvarchar(200)}). */
    public static final int MAX_NAME_LENGTH = 200;

    /** Codes per {@code IN (…)} list: far below every database's parameter limit (SQL Server: 2,100). */
    private static final int IN_LIST_CHUNK = 500;

    private final DatabaseAccess db;

    public PersonRepository(DatabaseAccess db) {
        this.db = db;
    }

    public Optional<Person> find(PersonRef ref) {
        PersonTable t = PersonTable.of(ref.type());
        return db.read("find a person", () -> db.jdbc()
                .sql(t.selectPeople("WHERE " + t.codeColumn + " = ?"))
                .param(ref.code())
                .withMaxRows(1)
                .query((rs, i) -> new Person(ref, PersonTable.displayName(rs.getString(2), rs.getString(3))))
                .optional());
    }

    /**
     * Adds the {@code Student}/{@code Teacher} row for {@code ref} unless one exists, with {@code name} as its
     * name and every other column left to its default. Concurrent calls for the same person add one row.
     *
     * @return true when a row was added
     * @throws RollcallException VALIDATION_ERROR when the name is blank or longer than {@value #MAX_NAME_LENGTH}
     */
    public boolean createIfMissing(PersonRef ref, String name) {
        String cleanName = validName(name);
        PersonTable t = PersonTable.of(ref.type());
        String lockKey = "person:" + ref.type().wireName() + ":" + ref.code();
        return db.writeExclusively("add a person", lockKey, () -> {
            Integer existing = db.jdbc()
                    .sql("SELECT COUNT(*) FROM " + t.table + " WHERE " + t.codeColumn + " = ?")
                    .param(ref.code())
                    .query(Integer.class)
                    .single();
            if (existing != null && existing > 0) {
                return false;
            }
            db.jdbc()
                    .sql("INSERT INTO " + t.table + " (" + t.codeColumn + ", " + t.nameColumn + ") VALUES (?, ?)")
                    .params(ref.code(), cleanName)
                    .update();
            return true;
        });
    }

    /**
     * Gives the person {@code name} when the school's row says otherwise: the oldest row's name column is updated
     * (the nickname is left alone). Used when an enrollment names the person differently, so that the list, every
     * worker's gallery and the Node.js system all show the one name.
     *
     * @return the display name before the change, or empty when there is no row or it already had this name
     * @throws RollcallException VALIDATION_ERROR when the name is blank or too long
     */
    public Optional<String> rename(PersonRef ref, String name) {
        String cleanName = validName(name);
        PersonTable t = PersonTable.of(ref.type());
        String lockKey = "person:" + ref.type().wireName() + ":" + ref.code();
        return db.writeExclusively("rename a person", lockKey, () -> {
            record Row(long id, String displayName) {
            }
            Optional<Row> oldest = db.jdbc()
                    .sql("SELECT Id, " + t.nameColumn + ", " + t.nicknameColumn + " FROM " + t.table
                            + " WHERE " + t.codeColumn + " = ? ORDER BY Id")
                    .param(ref.code())
                    .withMaxRows(1)
                    .query((rs, i) -> new Row(rs.getLong(1), PersonTable.displayName(rs.getString(2), rs.getString(3))))
                    .optional();
            if (oldest.isEmpty() || cleanName.equals(oldest.get().displayName())) {
                return Optional.<String>empty();
            }
            db.jdbc().sql("UPDATE " + t.table + " SET " + t.nameColumn + " = ? WHERE Id = ?")
                    .params(cleanName, oldest.get().id())
                    .update();
            return Optional.of(Objects.requireNonNullElse(oldest.get().displayName(), ""));
        });
    }

    /** Display names of the given persons that have a row; persons without one are absent from the map. */
    public Map<PersonRef, String> names(Collection<PersonRef> persons) {
        Map<PersonRef, String> names = new HashMap<>();
        for (PersonType type : PersonType.values()) {
            List<String> codes = persons.stream().filter(p -> p.type() == type).map(PersonRef::code)
                    .collect(Collectors.toCollection(LinkedHashSet::new)).stream().toList();
            for (int from = 0; from < codes.size(); from += IN_LIST_CHUNK) {
                List<String> chunk = codes.subList(from, Math.min(codes.size(), from + IN_LIST_CHUNK));
                String placeholders = String.join(", ", Collections.nCopies(chunk.size(), "?"));
                PersonTable t = PersonTable.of(type);
                collectNames(type, t.selectPeople("WHERE " + t.codeColumn + " IN (" + placeholders + ")"),
                        new ArrayList<>(chunk), names);
            }
        }
        return names;
    }

    /** Display names of everyone in both tables: a few thousand rows, read once when the gallery loads. */
    Map<PersonRef, String> allNames() {
        Map<PersonRef, String> names = new HashMap<>();
        for (PersonType type : PersonType.values()) {
            collectNames(type, PersonTable.of(type).selectPeople(""), List.of(), names);
        }
        return names;
    }

    private void collectNames(PersonType type, String sql, List<Object> params, Map<PersonRef, String> into) {
        db.jdbc().sql(sql).params(params).query((RowCallbackHandler) rs -> {
            Optional<PersonRef> ref = PersonTable.parse(type.wireName(), rs.getString(1));
            // Rows come ordered by Id: the oldest row of a repeated code wins, as in find().
            if (ref.isPresent() && !into.containsKey(ref.get())) {
                into.put(ref.get(), PersonTable.displayName(rs.getString(2), rs.getString(3)));
            }
        });
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR,
                    "person_name is required to enroll a person the school database does not know yet",
                    Map.of("field", "person_name"));
        }
        String clean = name.strip();
        if (clean.length() > MAX_NAME_LENGTH) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR,
                    "person_name must be at most " + MAX_NAME_LENGTH + " characters, got " + clean.length(),
                    Map.of("field", "person_name"));
        }
        return clean;
    }
}

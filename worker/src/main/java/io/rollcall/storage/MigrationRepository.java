package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * What the migration from the old system reads of the school's tables, and Rollcall's own record of it.
 *
 * <p>Reads: who the old system knows ({@code Student}, {@code Teacher}, and codes that appear only in its
 * {@code FaceData} rows), their photos, and who already has a sample of the pack. Nothing here ever updates or deletes
 * a row of the school's tables but the {@code FaceData} rows a migration created, and those only when a batch is
 * rolled back ({@link #rollBackPerson}, which also checks that a row is Rollcall's before deleting it).
 *
 * <p>Records, in three tables of Rollcall's own (migration V6): each run ({@code RollcallMigrationBatches}), each
 * {@code FaceData} row a run created with the photo it came from ({@code RollcallMigratedSamples}, written in the
 * transaction of the insert itself), and each person a run finished ({@code RollcallMigratedPersons}). A person with
 * migrated rows but no finished record was interrupted half-way, and is taken up again by the next run.
 */
public final class MigrationRepository {

    /** The old system's rows: anything in {@code FaceData} that is not one of Rollcall's samples. */
    private static final String LEGACY_ROW = "(FaceDescriptor IS NULL OR NOT (" + FaceRepository.ROLLCALL_SAMPLE + "))";

    private final DatabaseAccess db;

    public MigrationRepository(DatabaseAccess db) {
        this.db = db;
    }

    /**
     * Everyone the old system knows, students then teachers, each by code, with their photos and where they stand.
     *
     * @param model   the pack being migrated to
     * @param dim     its embedding length
     * @param batchId the run asking, for {@link MigrationCandidate#inBatch}
     */
    public List<MigrationCandidate> candidates(String model, int dim, String batchId) {
        return db.read("list the people to migrate", () -> {
            Map<PersonRef, Draft> people = new LinkedHashMap<>();
            for (PersonType type : PersonType.values()) {
                readPeople(PersonTable.of(type), people);
            }
            readLegacyRows(people);
            Set<PersonRef> enrolled = persons("SELECT DISTINCT PersonType, PersonCode FROM FaceData"
                    + " WHERE FaceDescriptor LIKE ? ESCAPE '!'", likePrefix(DescriptorCodec.prefix(model, dim)));
            Set<PersonRef> unfinished = persons("""
                    SELECT DISTINCT s.PersonType, s.PersonCode
                    FROM RollcallMigratedSamples s JOIN FaceData f ON f.Id = s.FaceDataId
                    WHERE NOT EXISTS (SELECT 1 FROM RollcallMigratedPersons p
                                      WHERE p.PersonType = s.PersonType AND p.PersonCode = s.PersonCode)""");
            Set<PersonRef> inBatch = persons("SELECT PersonType, PersonCode FROM RollcallMigratedPersons WHERE BatchId = ?"
                    + " UNION SELECT PersonType, PersonCode FROM RollcallMigratedSamples WHERE BatchId = ?", batchId, batchId);
            return people.values().stream()
                    .sorted(Comparator.comparing((Draft d) -> d.person.type()).thenComparing(d -> d.person.code()))
                    .map(d -> d.candidate(enrolled.contains(d.person), unfinished.contains(d.person), inBatch.contains(d.person)))
                    .toList();
        });
    }

    /** A candidate being assembled from the school's rows. */
    private static final class Draft {
        final PersonRef person;
        String name;
        String campus;
        String form;
        PhotoSource portrait;
        final List<PhotoSource> legacy = new ArrayList<>();

        Draft(PersonRef person) {
            this.person = person;
        }

        MigrationCandidate candidate(boolean enrolled, boolean unfinished, boolean inBatch) {
            List<PhotoSource> photos = new ArrayList<>(legacy);
            if (portrait != null) {
                photos.add(portrait);
            }
            return new MigrationCandidate(person, name, campus, form, photos, enrolled, unfinished, inBatch);
        }
    }

    /** The oldest row of each code is the person, as everywhere else ({@link PersonRepository}). */
    private void readPeople(PersonTable t, Map<PersonRef, Draft> into) {
        PhotoSource.Table source = t == PersonTable.STUDENT ? PhotoSource.Table.STUDENT : PhotoSource.Table.TEACHER;
        String type = t == PersonTable.STUDENT ? PersonType.STUDENT.wireName() : PersonType.TEACHER.wireName();
        String sql = "SELECT Id, " + t.codeColumn + ", " + t.nameColumn + ", " + t.nicknameColumn + ", Campus, "
                + (t.formColumn == null ? "NULL" : t.formColumn) + ", CASE WHEN " + t.imageColumn
                + " IS NULL THEN 0 ELSE 1 END FROM " + t.table + " ORDER BY Id";
        db.jdbc().sql(sql).query((RowCallbackHandler) rs -> {
            Optional<PersonRef> ref = PersonTable.parse(type, rs.getString(2));
            if (ref.isEmpty() || into.containsKey(ref.get())) {
                return;
            }
            Draft d = new Draft(ref.get());
            d.name = PersonTable.displayName(rs.getString(3), rs.getString(4));
            d.campus = trimmed(rs.getString(5));
            d.form = trimmed(rs.getString(6));
            if (rs.getInt(7) == 1) {
                d.portrait = new PhotoSource(source, rs.getLong(1), null, null);
            }
            into.put(ref.get(), d);
        });
    }

    /** The old system's rows: their photos, and the codes they name that have no row of their own. */
    private void readLegacyRows(Map<PersonRef, Draft> into) {
        db.jdbc().sql("SELECT Id, PersonType, PersonCode, CASE WHEN ImageData IS NULL THEN 0 ELSE 1 END,"
                        + " OriginalName, ContentType FROM FaceData WHERE " + LEGACY_ROW + " ORDER BY Id")
                .query((RowCallbackHandler) rs -> {
                    Optional<PersonRef> ref = PersonTable.parse(rs.getString(2), rs.getString(3));
                    if (ref.isEmpty()) {
                        return; // a type or code that denotes nobody: nothing to migrate it to
                    }
                    Draft d = into.computeIfAbsent(ref.get(), Draft::new);
                    if (rs.getInt(4) == 1) {
                        d.legacy.add(new PhotoSource(PhotoSource.Table.FACE_DATA, rs.getLong(1), rs.getString(5), rs.getString(6)));
                    }
                });
    }

    private Set<PersonRef> persons(String sql, Object... params) {
        Set<PersonRef> found = new HashSet<>();
        db.jdbc().sql(sql).params(params).query((RowCallbackHandler) rs ->
                PersonTable.parse(rs.getString(1), rs.getString(2)).ifPresent(found::add));
        return found;
    }

    /** A LIKE pattern matching values that start with {@code prefix}, escaped with {@code !}. */
    static String likePrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /** The photo's bytes, or empty when its row or its image has gone since the candidates were read. */
    public Optional<byte[]> photo(PhotoSource source) {
        String sql = switch (source.table()) {
            case FACE_DATA -> "SELECT ImageData FROM FaceData WHERE Id = ?";
            case STUDENT -> "SELECT " + PersonTable.STUDENT.imageColumn + " FROM Student WHERE Id = ?";
            case TEACHER -> "SELECT " + PersonTable.TEACHER.imageColumn + " FROM Teacher WHERE Id = ?";
        };
        return db.read("read an old photo", () -> db.jdbc().sql(sql).param(source.rowId())
                .query((rs, i) -> Optional.ofNullable(rs.getBytes(1)))
                .optional()
                .flatMap(image -> image));
    }

    /**
     * The rows migrations created for the person that are still there, oldest first, with their descriptors; a row
     * deleted since (by the Node.js system or {@code DELETE /api/face/delete}) is not listed.
     */
    public List<MigratedSample> migratedSamples(PersonRef person) {
        return db.read("read a person's migrated samples", () -> db.jdbc().sql("""
                        SELECT s.FaceDataId, s.BatchId, s.SourceTable, s.SourceId, f.FaceDescriptor
                        FROM RollcallMigratedSamples s JOIN FaceData f ON f.Id = s.FaceDataId
                        WHERE s.PersonType = ? AND s.PersonCode = ? ORDER BY s.FaceDataId""")
                .params(person.type().wireName(), person.code())
                .query((rs, i) -> new MigratedSample(rs.getLong(1), rs.getString(2), person,
                        new PhotoSource(PhotoSource.Table.of(rs.getString(3)), rs.getLong(4), null, null),
                        DescriptorCodec.decode(rs.getString(5))))
                .list());
    }

    /** Records the start of a run; a run started before under the same id (a job delivered again) is kept as it is. */
    public void startBatch(String batchId, String modelPack, String selectionJson) {
        db.write("record a migration batch", () -> {
            if (batch(batchId).isEmpty()) {
                db.jdbc().sql("INSERT INTO RollcallMigrationBatches (BatchId, ModelPack, Selection, StartedAt)"
                                + " VALUES (?, ?, ?, ?)")
                        .params(batchId, modelPack, selectionJson, LocalDateTime.now())
                        .update();
            }
            return null;
        });
    }

    /** Records that every selected person was tried, with the run's report. */
    public void finishBatch(String batchId, String reportJson) {
        db.write("finish a migration batch", () -> db.jdbc()
                .sql("UPDATE RollcallMigrationBatches SET FinishedAt = ?, Report = ? WHERE BatchId = ?")
                .params(LocalDateTime.now(), reportJson, batchId)
                .update());
    }

    public Optional<MigrationBatch> batch(String batchId) {
        return db.read("find a migration batch", () -> db.jdbc()
                .sql("SELECT BatchId, ModelPack, StartedAt, FinishedAt, RolledBackAt FROM RollcallMigrationBatches"
                        + " WHERE BatchId = ?")
                .param(batchId)
                .query((rs, i) -> new MigrationBatch(rs.getString(1), rs.getString(2),
                        rs.getObject(3, LocalDateTime.class), rs.getObject(4, LocalDateTime.class),
                        rs.getObject(5, LocalDateTime.class)))
                .optional());
    }

    /**
     * Records that {@code sampleId} was created by the batch from {@code source}. Call it inside the transaction
     * that inserted the row, so that the row and its record commit together.
     */
    public void recordSample(String batchId, long sampleId, PersonRef person, PhotoSource source) {
        db.write("record a migrated sample", () -> db.jdbc().sql("""
                        INSERT INTO RollcallMigratedSamples (FaceDataId, BatchId, PersonType, PersonCode, SourceTable,
                                                             SourceId, MigratedAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(sampleId, batchId, person.type().wireName(), person.code(), source.table().sqlName(),
                        source.rowId(), LocalDateTime.now())
                .update());
    }

    /** Drops the record of a sample whose insert was undone. */
    public void forgetSample(long sampleId) {
        db.write("forget a migrated sample", () -> db.jdbc()
                .sql("DELETE FROM RollcallMigratedSamples WHERE FaceDataId = ?").param(sampleId).update());
    }

    /** Records that the batch tried every photo of the person; a second record of the same is ignored. */
    public void finishPerson(String batchId, PersonRef person, int samples) {
        db.write("record a migrated person", () -> {
            int known = db.jdbc().sql("SELECT COUNT(*) FROM RollcallMigratedPersons"
                            + " WHERE BatchId = ? AND PersonType = ? AND PersonCode = ?")
                    .params(batchId, person.type().wireName(), person.code())
                    .query(Integer.class).single();
            if (known == 0) {
                db.jdbc().sql("INSERT INTO RollcallMigratedPersons (BatchId, PersonType, PersonCode, Samples, CompletedAt)"
                                + " VALUES (?, ?, ?, ?, ?)")
                        .params(batchId, person.type().wireName(), person.code(), samples, LocalDateTime.now())
                        .update();
            }
            return null;
        });
    }

    /** The people the batch recorded anything for: samples created or people finished. */
    public List<PersonRef> batchPersons(String batchId) {
        return db.read("list a migration batch's people", () -> persons(
                        "SELECT PersonType, PersonCode FROM RollcallMigratedSamples WHERE BatchId = ?"
                                + " UNION SELECT PersonType, PersonCode FROM RollcallMigratedPersons WHERE BatchId = ?",
                        batchId, batchId).stream()
                .sorted(Comparator.comparing(PersonRef::type).thenComparing(PersonRef::code))
                .toList());
    }

    /**
     * Deletes, in one transaction, the {@code FaceData} rows the batch created for the person and the batch's records
     * of them and of the person. A row is deleted only while it still holds one of Rollcall's descriptors: an id in
     * the record can never take an old row with it.
     *
     * @return the ids of the {@code FaceData} rows deleted
     */
    public List<Long> rollBackPerson(String batchId, PersonRef person) {
        return db.write("roll back a person's migrated samples", () -> {
            List<Long> ids = db.jdbc().sql("SELECT FaceDataId FROM RollcallMigratedSamples"
                            + " WHERE BatchId = ? AND PersonType = ? AND PersonCode = ? ORDER BY FaceDataId")
                    .params(batchId, person.type().wireName(), person.code())
                    .query(Long.class).list();
            List<Long> deleted = new ArrayList<>();
            for (long id : ids) {
                if (db.jdbc().sql("DELETE FROM FaceData WHERE Id = ? AND " + FaceRepository.ROLLCALL_SAMPLE).param(id).update() == 1) {
                    PackDescriptorRepository.deleteOfSample(db, id);
                    deleted.add(id);
                }
            }
            db.jdbc().sql("DELETE FROM RollcallMigratedSamples WHERE BatchId = ? AND PersonType = ? AND PersonCode = ?")
                    .params(batchId, person.type().wireName(), person.code()).update();
            db.jdbc().sql("DELETE FROM RollcallMigratedPersons WHERE BatchId = ? AND PersonType = ? AND PersonCode = ?")
                    .params(batchId, person.type().wireName(), person.code()).update();
            return deleted;
        });
    }

    /** Marks the batch rolled back, once every person's rows are gone. */
    public void markRolledBack(String batchId) {
        db.write("mark a migration batch rolled back", () -> db.jdbc()
                .sql("UPDATE RollcallMigrationBatches SET RolledBackAt = ? WHERE BatchId = ?")
                .params(LocalDateTime.now(), batchId)
                .update());
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

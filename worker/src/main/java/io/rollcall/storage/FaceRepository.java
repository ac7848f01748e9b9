package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * Face samples in {@code FaceData}: store, count, list, delete, and find a photo already enrolled for a person.
 *
 * <h2>Rollcall's samples and the old system's rows</h2>
 * The table also holds the old system's rows (a bare array of 128 numbers in {@code FaceDescriptor}), which the
 * Node.js system keeps reading during the transition. They are not enrollments Rollcall can recognise with, so
 * the sample limit and the same-photo check count only Rollcall's samples: rows whose descriptor is Rollcall's
 * JSON object ({@link #ROLLCALL_SAMPLE}). Migrating a legacy row's photo is therefore a new enrollment, not a
 * duplicate of the legacy row.
 *
 * <h2>Duplicate photos</h2>
 * Rollcall writes each stored image's SHA-256 into {@code FaceData.ImageSha256} (a nullable column its migration
 * adds), so the common check is an indexed lookup that reads no image. Rollcall rows written before that column
 * existed have no hash; for those the check hashes the images of that one person on demand, one at a time. It
 * never writes the hash back, and a person has a handful of samples, so the on-demand cost stays small.
 */
public final class FaceRepository {

    /**
     * Rows that are Rollcall's samples, of any pack: the descriptor is a JSON object ({@code {"model":…}}), where the
     * old system's is an array. A prefix match, so no database parses JSON.
     */
    static final String ROLLCALL_SAMPLE = "FaceDescriptor LIKE '{%'";

    /** Rows that can denote a person; the same filter for a page and for its total, so the two agree. */
    private static final String LISTABLE = "PersonType IN ('student', 'teacher') AND PersonCode <> ''";

    private final DatabaseAccess db;
    private final PersonRepository persons;

    public FaceRepository(DatabaseAccess db) {
        this.db = db;
        this.persons = new PersonRepository(db);
    }

    /** Stores a sample and returns its new {@code FaceData.Id}. */
    public long insert(NewFaceSample sample) {
        String hash = sample.image() == null ? null : sha256Hex(sample.image());
        List<Object> params = Arrays.asList(
                sample.person().type().wireName(),
                sample.person().code(),
                DatabaseAccess.nullable(Types.VARBINARY, sample.image()),
                DescriptorCodec.encode(sample.descriptor()),
                DatabaseAccess.nullable(Types.VARCHAR, sample.originalName()),
                DatabaseAccess.nullable(Types.VARCHAR, sample.contentType()),
                DatabaseAccess.nullable(Types.CHAR, hash));
        return db.write("store a face sample", () -> db.insertReturningId("""
                INSERT INTO FaceData (PersonType, PersonCode, ImageData, FaceDescriptor, OriginalName, ContentType,
                                      ImageSha256)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", params));
    }

    /** How many of Rollcall's samples the person has, of any pack; the old system's rows are not counted. */
    public int countSamples(PersonRef person) {
        return db.read("count face samples", () -> db.jdbc()
                .sql("SELECT COUNT(*) FROM FaceData WHERE PersonType = ? AND PersonCode = ? AND " + ROLLCALL_SAMPLE)
                .params(person.type().wireName(), person.code())
                .query(Integer.class)
                .single());
    }

    /**
     * One page of the enrolled faces, with names, and the total across all pages: one entry per person or per sample,
     * in {@code FaceData.Id} order (a person at their oldest sample). The same SQL runs on every supported database;
     * only the paging clause is the vendor's.
     *
     * @param type one person type, or empty for students and teachers together
     */
    public FacePage list(Optional<PersonType> type, FaceListing listing, Paging paging) {
        String where = "WHERE " + LISTABLE + (type.isPresent() ? " AND PersonType = ?" : "");
        List<Object> filterParams = type.map(t -> List.<Object>of(t.wireName())).orElse(List.of());
        String hasImage = "CASE WHEN ImageData IS NULL THEN 0 ELSE 1 END";
        String count;
        String select;
        if (listing == FaceListing.PER_SAMPLE) {
            count = "SELECT COUNT(*) FROM FaceData " + where;
            select = "SELECT Id, PersonType, PersonCode, CreatedDate, " + hasImage + " AS HasImage, 1 AS Samples"
                    + " FROM FaceData " + where + " ORDER BY Id";
        } else {
            // A person is the rows sharing type and code; each is shown by its oldest row (the smallest Id).
            String persons = "SELECT MIN(Id) AS FirstId, COUNT(*) AS Samples, MAX(" + hasImage + ") AS HasImage"
                    + " FROM FaceData " + where + " GROUP BY PersonType, PersonCode";
            count = "SELECT COUNT(*) FROM (" + persons + ") p";
            select = "SELECT f.Id, f.PersonType, f.PersonCode, f.CreatedDate, p.HasImage, p.Samples"
                    + " FROM FaceData f JOIN (" + persons + ") p ON f.Id = p.FirstId ORDER BY f.Id";
        }
        return list(count, select, filterParams, paging);
    }

    private FacePage list(String countSql, String selectSql, List<Object> filterParams, Paging paging) {
        DatabaseVendor vendor = db.vendor();
        return db.read("list face samples", () -> {
            long total = db.jdbc().sql(countSql).params(filterParams).query(Long.class).single();
            String sql = selectSql;
            List<Object> params = new ArrayList<>(filterParams);
            if (!paging.isAll()) {
                sql += " " + vendor.pagingClause();
                params.addAll(Arrays.asList(vendor.pagingParameters(paging.offset(), paging.limit())));
            }
            record Row(long id, Optional<PersonRef> person, LocalDateTime createdAt, boolean hasImage, int samples) {
            }
            // A code the filter lets through but PersonRef refuses (control characters) is left out of the page.
            List<Row> rows = db.jdbc().sql(sql).params(params)
                    .query((rs, i) -> new Row(rs.getLong(1),
                            PersonTable.parse(rs.getString(2), rs.getString(3)),
                            rs.getObject(4, LocalDateTime.class),
                            rs.getInt(5) == 1,
                            rs.getInt(6)))
                    .list().stream().filter(r -> r.person().isPresent()).toList();
            Map<PersonRef, String> names = persons.names(rows.stream().map(r -> r.person().get()).toList());
            List<FaceSummary> faces = rows.stream()
                    .map(r -> new FaceSummary(r.id(), r.person().get(), names.get(r.person().get()), r.createdAt(),
                            r.hasImage(), r.samples()))
                    .toList();
            return new FacePage(faces, total);
        });
    }

    /**
     * Deletes every sample of the person, in any descriptor format (a deletion request covers all of a person's
     * biometric data). The {@code Student}/{@code Teacher} row stays: it belongs to the school.
     *
     * @return how many rows went; 0 means the person had none (the caller answers PERSON_NOT_FOUND)
     */
    public int deleteAll(PersonRef person) {
        return db.write("delete face samples", () -> {
            PackDescriptorRepository.deleteOfPerson(db, person);
            return db.jdbc()
                    .sql("DELETE FROM FaceData WHERE PersonType = ? AND PersonCode = ?")
                    .params(person.type().wireName(), person.code())
                    .update();
        });
    }

    /**
     * Whose sample {@code sampleId} is.
     *
     * @return empty when no row has that id, or its row denotes no person
     */
    public Optional<PersonRef> owner(long sampleId) {
        return db.read("find whose face sample it is", () -> db.jdbc()
                .sql("SELECT PersonType, PersonCode FROM FaceData WHERE Id = ?")
                .param(sampleId)
                .query((rs, i) -> PersonTable.parse(rs.getString(1), rs.getString(2)))
                .optional()
                .flatMap(person -> person));
    }

    /** The photo of one sample, for those allowed to see it; empty when no row has that id. */
    public Optional<StoredPhoto> photo(long sampleId) {
        return db.read("read a face sample's photo", () -> db.jdbc()
                .sql("SELECT ImageData FROM FaceData WHERE Id = ?")
                .param(sampleId)
                .query((rs, i) -> new StoredPhoto(sampleId, rs.getBytes(1)))
                .optional());
    }

    /**
     * Deletes one sample.
     *
     * @return whose sample it was, or empty when no row has that id (or a concurrent delete took it first)
     */
    public Optional<PersonRef> delete(long sampleId) {
        return db.write("delete a face sample", () -> {
            Optional<PersonRef> owner = owner(sampleId);
            if (owner.isEmpty()) {
                return Optional.empty();
            }
            PackDescriptorRepository.deleteOfSample(db, sampleId);
            int deleted = db.jdbc().sql("DELETE FROM FaceData WHERE Id = ?").param(sampleId).update();
            return deleted == 1 ? owner : Optional.empty();
        });
    }

    /**
     * The id of one of the person's Rollcall samples whose stored image is byte-for-byte {@code image}, or empty.
     * See the class comment for why the old system's rows are not looked at, and how rows without a hash are.
     */
    public OptionalLong findSameImage(PersonRef person, byte[] image) {
        byte[] digest = sha256(image);
        String hash = HexFormat.of().formatHex(digest);
        return db.read("look for an identical enrolled photo", () -> {
            Optional<Long> hashed = db.jdbc()
                    .sql("SELECT Id FROM FaceData WHERE PersonType = ? AND PersonCode = ? AND ImageSha256 = ? ORDER BY Id")
                    .params(person.type().wireName(), person.code(), hash)
                    .withMaxRows(1)
                    .query(Long.class)
                    .optional();
            if (hashed.isPresent()) {
                return OptionalLong.of(hashed.get());
            }
            ResultSetExtractor<OptionalLong> hashEach = rs -> {
                while (rs.next()) {
                    try (InputStream in = rs.getBinaryStream(2)) {
                        if (in != null && MessageDigest.isEqual(digest, sha256(in))) {
                            return OptionalLong.of(rs.getLong(1));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return OptionalLong.empty();
            };
            return db.jdbc()
                    .sql("SELECT Id, ImageData FROM FaceData WHERE PersonType = ? AND PersonCode = ?"
                            + " AND ImageSha256 IS NULL AND ImageData IS NOT NULL AND " + ROLLCALL_SAMPLE + " ORDER BY Id")
                    .params(person.type().wireName(), person.code())
                    .query(hashEach);
        });
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    private static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    private static byte[] sha256(InputStream in) throws IOException {
        MessageDigest md = newSha256();
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            md.update(buffer, 0, n);
        }
        return md.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

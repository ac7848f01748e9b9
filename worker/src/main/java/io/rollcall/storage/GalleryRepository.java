package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Reads every stored embedding of the current model, to build the in-memory gallery at start.
 *
 * <p>The scan selects only the id, person and descriptor columns (never {@code ImageData}) and streams rows with
 * the driver's streaming fetch size, so memory holds one row's descriptor at a time rather than the table.
 * Rows of another model, legacy rows and unusable rows are counted, never handed on: a 128-d legacy vector must
 * never be compared with a 512-d one.
 */
public final class GalleryRepository {
    private static final Logger log = LoggerFactory.getLogger(GalleryRepository.class);

    private final DatabaseAccess db;
    private final PersonRepository persons;
    private final PackDescriptorRepository packDescriptors;

    public GalleryRepository(DatabaseAccess db) {
        this.db = db;
        this.persons = new PersonRepository(db);
        this.packDescriptors = new PackDescriptorRepository(db);
    }

    /**
     * Receives one stored sample's embedding. The array is the loader's buffer, parsed into straight from the
     * column and reused for the next row: valid only during the call, copied by whoever keeps it.
     */
    @FunctionalInterface
    public interface SampleReceiver {
        /**
         * @param sampleId   {@code FaceData.Id}
         * @param personName the display name, or null when the school has no row for the code
         * @param embedding  the stored vector, bit-identical to what was enrolled
         */
        void accept(long sampleId, PersonRef person, String personName, float[] embedding);
    }

    /**
     * Streams every usable sample of {@code model} with {@code dim} values to {@code receiver}, in {@code Id}
     * order. The receiver runs while the result is open: it must not use the database itself (a streaming MySQL
     * connection can run nothing else meanwhile).
     *
     * @param model the pack name recorded in the descriptors, for example {@code buffalo_l}
     * @param dim   the embedding length of that pack
     */
    public GalleryLoadSummary load(String model, int dim, SampleReceiver receiver) {
        int fetchSize = db.streamingFetchSize();
        return db.read("load the gallery", () -> {
            Map<PersonRef, String> names = persons.allNames();
            Counter counter = new Counter(model, dim, names, receiver);
            db.jdbc()
                    .sql("SELECT Id, PersonType, PersonCode, FaceDescriptor FROM FaceData ORDER BY Id")
                    .withFetchSize(fetchSize)
                    .withQueryTimeout(0) // a million rows take longer than one statement's usual limit
                    .query(counter);
            // A sample's descriptors of further packs (a candidate's, or an old pack's after a switch).
            packDescriptors.stream(model, dim, "", List.of(), fetchSize, counter);
            GalleryLoadSummary summary = counter.summary();
            log.info("Gallery load: {} sample(s) of {}/{}; skipped {} legacy, {} of other models, {} unusable",
                    summary.loaded(), model, dim, summary.legacy(), summary.otherModel(), summary.unusable());
            return summary;
        });
    }

    /**
     * The numbers that tell whether the rows changed: {@link DatabasePrint}. Reads the ids, person types and codes
     * only (an index on {@code (PersonType, PersonCode)} covers them; never a descriptor or a photo), and both person
     * tables' codes and names.
     */
    public DatabasePrint print() {
        DatabaseVendor vendor = db.vendor();
        String bucket = vendor.integerDivision("Id", DatabasePrint.BUCKET_IDS);
        String personHash = vendor.textHash("CONCAT(COALESCE(PersonType, ''), ':', COALESCE(PersonCode, ''))");
        return db.read("fingerprint the gallery's rows", () -> {
            Map<Long, DatabasePrint.Numbers> buckets = new HashMap<>();
            db.jdbc().sql("SELECT " + bucket + ", COUNT(*), SUM(Id), SUM(" + personHash + ") FROM FaceData GROUP BY " + bucket)
                    .withQueryTimeout(0) // a million rows: a full index scan, seconds at worst
                    .query((RowCallbackHandler) rs -> buckets.put(rs.getLong(1),
                            new DatabasePrint.Numbers(rs.getLong(2), rs.getLong(3), rs.getLong(4))));
            long rows = 0;
            long idSum = 0;
            long hashSum = 0;
            for (PersonTable t : PersonTable.values()) {
                String rowHash = vendor.textHash("CONCAT(COALESCE(" + t.codeColumn + ", ''), '|', COALESCE(" + t.nameColumn
                        + ", ''), '|', COALESCE(" + t.nicknameColumn + ", ''))");
                DatabasePrint.Numbers n = db.jdbc()
                        .sql("SELECT COUNT(*), COALESCE(SUM(Id), 0), COALESCE(SUM(" + rowHash + "), 0) FROM " + t.table)
                        .query((rs, i) -> new DatabasePrint.Numbers(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                        .single();
                rows += n.rows();
                idSum += n.idSum();
                hashSum += n.hashSum();
            }
            return new DatabasePrint(buckets, new DatabasePrint.Numbers(rows, idSum, hashSum));
        });
    }

    /**
     * Who each row with an id in {@code [fromId, toId]} belongs to; rows that denote nobody map to empty. Reads no
     * descriptor.
     */
    public Map<Long, Optional<PersonRef>> personsBetween(long fromId, long toId) {
        return db.read("read the rows of changed buckets", () -> {
            Map<Long, Optional<PersonRef>> rows = new HashMap<>();
            db.jdbc().sql("SELECT Id, PersonType, PersonCode FROM FaceData WHERE Id BETWEEN ? AND ?")
                    .params(fromId, toId)
                    .query((RowCallbackHandler) rs -> rows.put(rs.getLong(1), PersonTable.parse(rs.getString(2), rs.getString(3))));
            return rows;
        });
    }

    /**
     * As {@link #load}, for the rows with ids in {@code [fromId, toId]} that {@code wanted} accepts: the rows of a
     * changed bucket that this worker's gallery does not hold yet.
     *
     * @param names the display names to hand over with the samples ({@link #namesOf})
     */
    public GalleryLoadSummary loadBetween(String model, int dim, long fromId, long toId, LongPredicate wanted,
                                          Map<PersonRef, String> names, SampleReceiver receiver) {
        int fetchSize = db.streamingFetchSize();
        return db.read("read the changed rows' embeddings", () -> {
            Counter counter = new Counter(model, dim, names, receiver);
            db.jdbc().sql("SELECT Id, PersonType, PersonCode, FaceDescriptor FROM FaceData WHERE Id BETWEEN ? AND ? ORDER BY Id")
                    .params(fromId, toId)
                    .withFetchSize(fetchSize)
                    .query((RowCallbackHandler) rs -> {
                        if (wanted.test(rs.getLong(1))) {
                            counter.processRow(rs);
                        }
                    });
            packDescriptors.stream(model, dim, " AND f.Id BETWEEN ? AND ?", List.of(fromId, toId), fetchSize, rs -> {
                if (wanted.test(rs.getLong(1))) {
                    counter.processRow(rs);
                }
            });
            return counter.summary();
        });
    }

    /**
     * Hands sample {@code sampleId} to {@code receiver} with its person's current name, if it is a usable sample of
     * {@code model}: how a worker learns of an enrollment another worker announced, since the gallery-changes topic
     * carries ids, never embeddings or names.
     *
     * @return false, handing on nothing, when the row is gone (deleted since) or is not a usable sample of {@code model}
     */
    public boolean loadSample(String model, int dim, long sampleId, SampleReceiver receiver) {
        return db.read("read an enrolled sample", () -> {
            List<Found> found = new ArrayList<>(1);
            Counter counter = new Counter(model, dim, Map.of(), (id, person, noName, embedding) -> found.add(new Found(person, embedding.clone())));
            db.jdbc().sql("SELECT Id, PersonType, PersonCode, FaceDescriptor FROM FaceData WHERE Id = ?")
                    .params(sampleId)
                    .query(counter);
            // A candidate pack's descriptor of the sample lives beside the row, as load and loadBetween read it too.
            packDescriptors.stream(model, dim, " AND f.Id = ?", List.of(sampleId), db.streamingFetchSize(), counter);
            if (found.isEmpty()) {
                return false;
            }
            PersonRef person = found.getFirst().person();
            receiver.accept(sampleId, person, persons.names(List.of(person)).get(person), found.getFirst().embedding());
            return true;
        });
    }

    private record Found(PersonRef person, float[] embedding) {
    }

    /** Rows of {@code FaceData}, of every kind: an upper bound for a gallery's size, counted from an index. */
    public long countAllRows() {
        return db.read("count the stored samples", () -> db.jdbc().sql("SELECT COUNT(*) FROM FaceData")
                .query(Long.class).single());
    }

    /**
     * Rows whose descriptor is of {@code model} with {@code dim} values, by the prefix {@link DescriptorCodec#encode}
     * writes. Reads the descriptors' first bytes, so it costs a table scan: asked only when {@link #countAllRows}
     * is too coarse.
     */
    public long countRowsOf(String model, int dim) {
        return db.read("count the pack's samples", () -> db.jdbc()
                .sql("SELECT COUNT(*) FROM FaceData WHERE FaceDescriptor LIKE ? ESCAPE '!'")
                .param(MigrationRepository.likePrefix(DescriptorCodec.prefix(model, dim)))
                .withQueryTimeout(0)
                .query(Long.class).single());
    }

    /**
     * The current {@code model} vectors of these rows, as stored (not normalised); rows that are gone, of another
     * model or unusable are absent. For checking a gallery snapshot against the database.
     */
    public Map<Long, float[]> embeddingsOf(String model, int dim, long[] ids) {
        if (ids.length == 0) {
            return Map.of();
        }
        Map<Long, float[]> found = new HashMap<>();
        String placeholders = String.join(",", java.util.Collections.nCopies(ids.length, "?"));
        Object[] params = java.util.Arrays.stream(ids).boxed().toArray();
        return db.read("read samples to check the gallery snapshot", () -> {
            db.jdbc().sql("SELECT Id, FaceDescriptor FROM FaceData WHERE Id IN (" + placeholders + ")")
                    .params(params)
                    .query((RowCallbackHandler) rs -> {
                        if (DescriptorCodec.decode(rs.getString(2)) instanceof DecodedDescriptor.Rollcall(FaceDescriptor d)
                                && d.model().equals(model) && d.dim() == dim) {
                            found.put(rs.getLong(1), d.embedding());
                        }
                    });
            return found;
        });
    }

    /** Display names of everyone in {@code Student} and {@code Teacher}; the oldest row of a repeated code wins. */
    public Map<PersonRef, String> names() {
        return db.read("read the persons' names", persons::allNames);
    }

    /** Display names of these persons; those without a row are absent. */
    public Map<PersonRef, String> namesOf(Collection<PersonRef> who) {
        return db.read("read the persons' names", () -> persons.names(who));
    }

    /** Classifies each row and counts; one instance per load. */
    private static final class Counter implements RowCallbackHandler {
        private final String model;
        private final int dim;
        private final Map<PersonRef, String> names;
        private final SampleReceiver receiver;
        /** One row's values, parsed into directly and handed to the receiver: a million rows allocate no vector. */
        private final float[] embedding;
        private int loaded;
        private int legacy;
        private int otherModel;
        private int unusable;

        Counter(String model, int dim, Map<PersonRef, String> names, SampleReceiver receiver) {
            this.model = model;
            this.dim = dim;
            this.names = names;
            this.receiver = receiver;
            this.embedding = new float[dim];
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            DescriptorCodec.Found found;
            try (java.io.Reader descriptor = rs.getCharacterStream(4)) {
                found = DescriptorCodec.decodeInto(descriptor, model, embedding);
            } catch (java.io.IOException e) {
                throw new SQLException("cannot read a descriptor", e);
            }
            if (found == DescriptorCodec.Found.LEGACY) {
                legacy++;
                return;
            }
            if (found == DescriptorCodec.Found.OTHER_MODEL) {
                otherModel++;
                return;
            }
            Optional<PersonRef> person = PersonTable.parse(rs.getString(2), rs.getString(3));
            if (person.isEmpty() || isZero(embedding)) {
                unusable++;
                return;
            }
            receiver.accept(rs.getLong(1), person.get(), names.get(person.get()), embedding);
            loaded++;
        }

        GalleryLoadSummary summary() {
            return new GalleryLoadSummary(loaded, legacy, otherModel, unusable);
        }

        private static boolean isZero(float[] v) {
            for (float x : v) {
                if (x != 0f) {
                    return false;
                }
            }
            return true;
        }
    }
}

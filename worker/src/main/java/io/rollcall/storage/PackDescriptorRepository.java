package io.rollcall.storage;

import io.rollcall.person.PersonRef;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The descriptors of a sample's further packs ({@code RollcallPackDescriptors}): a candidate pack's while it is
 * embedded beside the active one, and an old pack's after a switch, until it is purged. {@code FaceData} keeps the
 * descriptor it was enrolled with; this table never holds the pack of that row's own descriptor.
 *
 * <p>Coverage is computed by the database: a Rollcall sample is covered by a pack when its own descriptor is of
 * that pack (a prefix match, {@link DescriptorCodec#prefix}) or this table holds one for it. Legacy rows (the old
 * system's 128-number arrays) are never counted: no pack reads them.
 */
public final class PackDescriptorRepository {
    private static final String ROLLCALL_SAMPLE = "f." + FaceRepository.ROLLCALL_SAMPLE;

    private final DatabaseAccess db;

    public PackDescriptorRepository(DatabaseAccess db) {
        this.db = db;
    }

    /** How far a pack covers the stored samples. @param samples Rollcall samples in all @param covered those with a descriptor of the pack */
    public record Coverage(long samples, long covered) {
        public long missing() {
            return samples - covered;
        }
    }

    public Coverage coverage(String pack, int dim) {
        String own = DescriptorCodec.prefix(pack, dim) + "%";
        return db.read("count a pack's descriptors", () -> db.jdbc()
                .sql("SELECT COUNT(*), COALESCE(SUM(CASE WHEN f.FaceDescriptor LIKE ? OR EXISTS (SELECT 1 FROM RollcallPackDescriptors d"
                        + " WHERE d.FaceDataId = f.Id AND d.ModelPack = ?) THEN 1 ELSE 0 END), 0) FROM FaceData f WHERE " + ROLLCALL_SAMPLE)
                .params(own, pack)
                .query((rs, i) -> new Coverage(rs.getLong(1), rs.getLong(2)))
                .single());
    }

    /** Up to {@code limit} ids above {@code afterId}, in order, of Rollcall samples without a descriptor of the pack. */
    public List<Long> missing(String pack, int dim, long afterId, int limit) {
        String own = DescriptorCodec.prefix(pack, dim) + "%";
        DatabaseVendor vendor = db.vendor();
        List<Object> params = new ArrayList<>(List.of(afterId, own, pack));
        params.addAll(List.of(vendor.pagingParameters(0, limit)));
        return db.read("find samples without a pack's descriptor", () -> db.jdbc()
                .sql("SELECT f.Id FROM FaceData f WHERE f.Id > ? AND " + ROLLCALL_SAMPLE + " AND f.FaceDescriptor NOT LIKE ?"
                        + " AND NOT EXISTS (SELECT 1 FROM RollcallPackDescriptors d WHERE d.FaceDataId = f.Id AND d.ModelPack = ?)"
                        + " ORDER BY f.Id " + vendor.pagingClause())
                .params(params)
                .query(Long.class).list());
    }

    /**
     * Stores a further pack's descriptor of a sample, written by run {@code runId}, unless the sample is gone.
     *
     * @return false when no row has that id any more (deleted meanwhile)
     */
    public boolean put(long sampleId, FaceDescriptor descriptor, String runId) {
        String encoded = DescriptorCodec.encode(descriptor);
        return db.write("store a pack's descriptor", () -> {
            db.jdbc().sql("DELETE FROM RollcallPackDescriptors WHERE FaceDataId = ? AND ModelPack = ?")
                    .params(sampleId, descriptor.model()).update();
            return db.jdbc().sql("INSERT INTO RollcallPackDescriptors (FaceDataId, ModelPack, Descriptor, RunId)"
                            + " SELECT Id, ?, ?, ? FROM FaceData WHERE Id = ?")
                    .params(descriptor.model(), encoded, runId, sampleId).update() == 1;
        });
    }

    /** Deletes what run {@code runId} wrote: an abandoned candidate's descriptors. @return rows deleted */
    public int deleteRun(String runId) {
        return db.write("delete an abandoned candidate's descriptors", () -> db.jdbc()
                .sql("DELETE FROM RollcallPackDescriptors WHERE RunId = ?").param(runId).update());
    }

    /**
     * Purges a pack: where a sample's own descriptor is of that pack and this table holds one of {@code keep} (the
     * active pack), the active one moves into {@code FaceData} (as the Node.js table held it before any switch);
     * then every descriptor of the pack here goes, and rows of samples deleted by other programs with them.
     *
     * @return samples whose {@code FaceData} descriptor was replaced, and descriptors deleted here
     */
    public Purge purge(String pack, int dim, String keep) {
        String own = DescriptorCodec.prefix(pack, dim) + "%";
        return db.write("purge a pack's descriptors", () -> {
            List<Object[]> moves = db.jdbc().sql("SELECT d.FaceDataId, d.Descriptor FROM RollcallPackDescriptors d JOIN FaceData f"
                            + " ON f.Id = d.FaceDataId WHERE d.ModelPack = ? AND f.FaceDescriptor LIKE ?")
                    .params(keep, own)
                    .query((rs, i) -> new Object[] {rs.getLong(1), rs.getString(2)}).list();
            for (Object[] move : moves) {
                db.jdbc().sql("UPDATE FaceData SET FaceDescriptor = ? WHERE Id = ?").params(move[1], move[0]).update();
                db.jdbc().sql("DELETE FROM RollcallPackDescriptors WHERE FaceDataId = ? AND ModelPack = ?").params(move[0], keep).update();
            }
            int deleted = db.jdbc().sql("DELETE FROM RollcallPackDescriptors WHERE ModelPack = ?").param(pack).update();
            int orphans = db.jdbc().sql("DELETE FROM RollcallPackDescriptors WHERE NOT EXISTS"
                    + " (SELECT 1 FROM FaceData f WHERE f.Id = RollcallPackDescriptors.FaceDataId)").update();
            return new Purge(moves.size(), deleted + orphans);
        });
    }

    /** What a purge did. */
    public record Purge(int movedIntoFaceData, int deleted) {
    }

    /**
     * Samples of {@code pack} here, joined on their rows; see {@link GalleryRepository#load}. A row whose own
     * descriptor is of the pack too (rewritten by {@code reembed} meanwhile) was read from {@code FaceData} already.
     */
    void stream(String pack, int dim, String where, List<Object> params, int fetchSize, RowCallbackHandler rows) {
        List<Object> all = new ArrayList<>();
        all.add(pack);
        all.add(DescriptorCodec.prefix(pack, dim) + "%");
        all.addAll(params);
        db.jdbc().sql("SELECT f.Id, f.PersonType, f.PersonCode, d.Descriptor FROM RollcallPackDescriptors d JOIN FaceData f"
                        + " ON f.Id = d.FaceDataId WHERE d.ModelPack = ? AND f.FaceDescriptor NOT LIKE ?" + where + " ORDER BY f.Id")
                .params(all)
                .withFetchSize(fetchSize)
                .withQueryTimeout(0)
                .query(rows);
    }

    /** Inside a deletion's transaction: the sample's further descriptors go with it. */
    static void deleteOfSample(DatabaseAccess db, long sampleId) {
        db.jdbc().sql("DELETE FROM RollcallPackDescriptors WHERE FaceDataId = ?").param(sampleId).update();
    }

    /** Inside a deletion's transaction: the person's samples' further descriptors go with them. */
    static void deleteOfPerson(DatabaseAccess db, PersonRef person) {
        db.jdbc().sql("DELETE FROM RollcallPackDescriptors WHERE FaceDataId IN (SELECT Id FROM FaceData WHERE PersonType = ? AND PersonCode = ?)")
                .params(person.type().wireName(), person.code()).update();
    }
}

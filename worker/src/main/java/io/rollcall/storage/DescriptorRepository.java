package io.rollcall.storage;

import io.rollcall.person.PersonType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The descriptors of stored samples, for moving them to another model pack: scan them in {@code Id} order a page
 * at a time, read one sample's photo, replace one sample's descriptor.
 *
 * <p>The scan is keyset-paged ({@code Id > last}) rather than one streaming result, so the caller can run the
 * engine between pages and write each sample in its own short transaction without holding a result set open (a
 * streaming MySQL connection can run nothing else meanwhile). Photos are never selected by the scan.
 */
public final class DescriptorRepository {

    private final DatabaseAccess db;

    public DescriptorRepository(DatabaseAccess db) {
        this.db = db;
    }

    /**
     * Up to {@code limit} rows with {@code Id > afterId}, in {@code Id} order.
     *
     * @param only a person type to keep, or empty for every row (rows whose type denotes nobody included)
     */
    public List<StoredDescriptor> page(Optional<PersonType> only, long afterId, int limit) {
        DatabaseVendor vendor = db.vendor();
        List<Object> params = new ArrayList<>();
        params.add(afterId);
        String filter = "";
        if (only.isPresent()) {
            filter = " AND PersonType = ?";
            params.add(only.get().wireName());
        }
        params.addAll(Arrays.asList(vendor.pagingParameters(0, limit)));
        String sql = "SELECT Id, PersonType, PersonCode, FaceDescriptor,"
                + " CASE WHEN ImageData IS NULL THEN 0 ELSE 1 END AS HasImage"
                + " FROM FaceData WHERE Id > ?" + filter + " ORDER BY Id " + vendor.pagingClause();
        return db.read("scan face descriptors", () -> db.jdbc().sql(sql).params(params)
                .query((rs, i) -> {
                    String type = rs.getString(2);
                    String code = rs.getString(3);
                    return new StoredDescriptor(rs.getLong(1), type, code == null ? null : code.strip(),
                            PersonTable.parse(type, code), DescriptorCodec.decode(rs.getString(4)),
                            rs.getInt(5) == 1);
                })
                .list());
    }

    /** The sample's stored photo, or empty when it has none or the row is gone. */
    public Optional<byte[]> image(long sampleId) {
        return db.read("read a stored photo", () -> db.jdbc()
                .sql("SELECT ImageData FROM FaceData WHERE Id = ?")
                .param(sampleId)
                .query((rs, i) -> Optional.ofNullable(rs.getBytes(1)))
                .optional()
                .flatMap(image -> image));
    }

    /**
     * Replaces the sample's descriptor, in a transaction of its own; nothing else in the row changes (the photo
     * and its {@code ImageSha256} stay valid).
     *
     * @return false when no row has that id any more (deleted meanwhile)
     */
    public boolean replaceDescriptor(long sampleId, FaceDescriptor descriptor) {
        String encoded = DescriptorCodec.encode(descriptor);
        return db.write("replace a face descriptor", () -> db.jdbc()
                .sql("UPDATE FaceData SET FaceDescriptor = ? WHERE Id = ?")
                .params(encoded, sampleId)
                .update()) == 1;
    }
}

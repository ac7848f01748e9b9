package io.rollcall.messaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes one generated Avro message class as Avro single-object encoding: {@code C3 01}, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body. No schema registry is involved; readers
 * find the writer schema by its fingerprint among the versions they know ({@link AvroDeserializer}).
 *
 * <p>Thread-safe: one instance may serve every producer thread.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    /** Header plus a small body; image-carrying messages grow the buffer as they are written. */
    private static final int INITIAL_BUFFER_BYTES = 256;

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;

    public AvroSerializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        TrustedMessageClasses.trust(schema);
        // The class's own model carries its logical-type conversions (timestamp-millis as Instant).
        this.encoder = new BinaryMessageEncoder<>(model, schema);
    }

    /** @return the encoded message, or {@code null} for a {@code null} value (a tombstone) */
    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (!type.isInstance(data)) {
            throw new SerializationException("Cannot encode a " + data.getClass().getName() + " with the serializer for "
                    + type.getName() + " (topic '" + topic + "')");
        }
        // A fresh stream per message rather than the encoder's per-thread buffer, which would keep the largest
        // message ever written (tens of MiB with images) alive in every producing thread.
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES);
        try {
            encoder.encode(data, out);
        } catch (IOException | RuntimeException e) {
            // Avro reports a missing required field as a NullPointerException naming the field: keep its message.
            throw new SerializationException("Cannot encode " + type.getName() + " for topic '" + topic + "': " + e, e);
        }
        return out.toByteArray();
    }
}

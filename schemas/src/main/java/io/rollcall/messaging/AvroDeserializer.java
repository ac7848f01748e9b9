package io.rollcall.messaging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro single-object encoded messages into one generated message class, whichever known version of the
 * schema wrote them: the current one, or any version in the class's history ({@link MessageSchemas#history}),
 * which Avro schema resolution maps onto the current class (fields added since get their defaults).
 *
 * <p>Anything else fails with a {@link SerializationException} that says why (too short, not single-object encoded,
 * unknown or foreign fingerprint, truncated or corrupt body, trailing bytes), so that a consumer's error handler
 * can dead-letter the record. Before decoding, {@link MessageBodyCheck} walks the body once without allocating: a
 * corrupt length cannot make the decoder allocate gigabytes, and a union branch this reader does not know (a command
 * added later) is refused rather than decoded as another branch of similar shape.
 *
 * <p>Thread-safe: one instance may serve every consumer thread.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    /** Marker {@code C3 01} and the 8-byte fingerprint. */
    static final int HEADER_BYTES = 10;
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    private final Class<T> type;
    private final Schema readerSchema;
    private final Map<Long, Schema> writerSchemas;
    private final BinaryMessageDecoder<T> decoder;

    /** A deserializer that knows the current schema of {@code type} and every version in its history. */
    public AvroDeserializer(Class<T> type) {
        this(type, MessageSchemas.history(SpecificData.getForClass(type).getSchema(type)));
    }

    /**
     * A deserializer that knows the current schema of {@code type} and the given older writer schemas.
     *
     * @param olderWriterSchemas versions of the same record this reader must still decode
     * @throws IllegalArgumentException when one of them describes another record or cannot be resolved to the current one
     */
    public AvroDeserializer(Class<T> type, Collection<Schema> olderWriterSchemas) {
        this.type = Objects.requireNonNull(type, "type");
        SpecificData model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        TrustedMessageClasses.trust(readerSchema);
        SchemaStore.Cache store = new SchemaStore.Cache();
        Map<Long, Schema> known = new HashMap<>();
        for (Schema writer : olderWriterSchemas) {
            if (!writer.getFullName().equals(readerSchema.getFullName())) {
                throw new IllegalArgumentException("writer schema " + writer.getFullName() + " is not a version of "
                        + readerSchema.getFullName());
            }
            store.addSchema(writer);
            known.put(MessageSchemas.fingerprint(writer), writer);
        }
        known.put(MessageSchemas.fingerprint(readerSchema), readerSchema);
        this.writerSchemas = Map.copyOf(known);
        this.decoder = new BinaryMessageDecoder<>(model, readerSchema, store);
    }

    /** @return the message, or {@code null} for a {@code null} value (a tombstone) */
    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : decode(topic, data, 0, data.length);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    /** Decodes straight from the fetched buffer (no copy of a multi-MiB image first); its position is not moved. */
    @Override
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return decode(topic, data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return decode(topic, copy, 0, copy.length);
    }

    private T decode(String topic, byte[] bytes, int offset, int length) {
        if (length < HEADER_BYTES) {
            throw failure(topic, length, "shorter than the " + HEADER_BYTES + "-byte single-object header", null);
        }
        if (bytes[offset] != MARKER_0 || bytes[offset + 1] != MARKER_1) {
            throw failure(topic, length, String.format(
                    "not Avro single-object encoded: starts with %02X %02X instead of C3 01",
                    bytes[offset] & 0xFF, bytes[offset + 1] & 0xFF), null);
        }
        long fingerprint = ByteBuffer.wrap(bytes, offset + 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Schema writer = writerSchemas.get(fingerprint);
        if (writer == null) {
            throw failure(topic, length, unknownFingerprint(fingerprint), null);
        }
        try {
            MessageBodyCheck.check(writer, readerSchema, bytes, offset + HEADER_BYTES, length - HEADER_BYTES);
            return decoder.decode(new ByteArrayInputStream(bytes, offset, length), null);
        } catch (IOException | RuntimeException e) {
            throw failure(topic, length, "undecodable body: " + e, e);
        }
    }

    private String unknownFingerprint(long fingerprint) {
        String hex = String.format("%016X", fingerprint);
        return MessageSchemas.describeFingerprint(fingerprint)
                .map(other -> "schema fingerprint " + hex + " is " + other + ", not a version of " + type.getName()
                        + " (message on the wrong topic?)")
                .orElse("unknown schema fingerprint " + hex + ": no known version of " + type.getName()
                        + " (written by a newer producer, deployed before this consumer? see schemas/README.md)");
    }

    private SerializationException failure(String topic, int length, String reason, Throwable cause) {
        return new SerializationException("Cannot decode " + type.getName() + " from topic '" + topic + "' ("
                + length + " bytes): " + reason, cause);
    }

    /** The fingerprints this deserializer accepts (current schema and history), for diagnostics and tests. */
    List<Long> knownFingerprints() {
        return List.copyOf(writerSchemas.keySet());
    }
}

package io.rollcall.messaging;

import java.io.IOException;
import java.io.OutputStream;
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
        // Written twice: once only counting bytes, then into an array of exactly that size. A growing stream
        // copied a 1.6 MB photo five times over (each doubling, then the final trim), every copy a humongous G1
        // allocation; the counting pass touches no image bytes (Avro hands the whole buffer to write() at once). A
        // per-thread buffer would avoid the count but keep the largest message ever written (tens of MiB with
        // images) alive in every producing thread.
        try {
            SizeCounter counter = new SizeCounter();
            encoder.encode(data, counter);
            ExactBuffer out = new ExactBuffer(counter.size);
            encoder.encode(data, out);
            return out.filled();
        } catch (IOException | RuntimeException e) {
            // Avro reports a missing required field as a NullPointerException naming the field: keep its message.
            throw new SerializationException("Cannot encode " + type.getName() + " for topic '" + topic + "': " + e, e);
        }
    }

    /** Counts what would be written. */
    private static final class SizeCounter extends OutputStream {
        private long size;

        @Override
        public void write(int b) {
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            size += len;
        }
    }

    /** Fills an array of the counted size; the message must encode to the same bytes both times. */
    private static final class ExactBuffer extends OutputStream {
        private final byte[] bytes;
        private int position;

        ExactBuffer(long size) {
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("message of " + size + " bytes is larger than an array");
            }
            this.bytes = new byte[(int) size];
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[position++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, position, len);
            position += len;
        }

        private void ensure(int more) {
            if (more > bytes.length - position) {
                throw new IllegalStateException("the message changed while it was encoded (counted " + bytes.length + " bytes)");
            }
        }

        byte[] filled() {
            if (position != bytes.length) {
                throw new IllegalStateException("the message changed while it was encoded (counted " + bytes.length
                        + " bytes, wrote " + position + ")");
            }
            return bytes;
        }
    }
}

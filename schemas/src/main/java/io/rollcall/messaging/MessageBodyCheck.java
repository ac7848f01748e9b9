package io.rollcall.messaging;

import java.io.EOFException;
import java.io.IOException;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Walks an encoded Avro body as its writer schema lays it out, skipping every value, before it is decoded. It
 * guards against two failures of the plain decoder:
 * <ul>
 *   <li><b>Corrupt lengths.</b> The decoder allocates a bytes, string or array value at the length the data claims,
 *       before reading it: a corrupt length makes it allocate up to 2 GiB ({@code OutOfMemoryError}). Skipping only
 *       moves a position, so a length past the end fails here with an {@link EOFException}.</li>
 *   <li><b>Union branches the reader lacks.</b> When a writer's union branch has no branch of the same name in the
 *       reader, Avro's Java resolver falls back to the first reader record whose fields it can fill: a command
 *       added in a later version would be decoded by an older worker as whichever existing command it fits (any
 *       command without an image as a {@code ListCommand}, whose fields all have defaults; a variant of enroll as
 *       an {@code EnrollCommand}). Here such a message is refused instead.</li>
 * </ul>
 */
final class MessageBodyCheck {
    private MessageBodyCheck() {
    }

    /**
     * @param writer the schema the body was written with
     * @param reader the schema it will be decoded into
     * @throws IOException when the body is truncated, corrupt, has bytes left over, or uses a union branch that
     *                     {@code reader} does not have
     */
    static void check(Schema writer, Schema reader, byte[] bytes, int offset, int length) throws IOException {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, offset, length, null);
        walk(writer, reader, in, length);
        if (!in.isEnd()) {
            throw new IOException("bytes left over after the message");
        }
    }

    /** @param reader the reader's counterpart of {@code writer}, or {@code null} where the reader ignores the value */
    private static void walk(Schema writer, Schema reader, BinaryDecoder in, int length) throws IOException {
        if (reader != null && reader.getType() == Schema.Type.UNION && writer.getType() != Schema.Type.UNION) {
            reader = counterpart(writer, reader);
        }
        switch (writer.getType()) {
            case NULL -> {
            }
            case BOOLEAN -> in.readBoolean();
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case STRING -> in.skipString();
            case BYTES -> in.skipBytes();
            case FIXED -> in.skipFixed(writer.getFixedSize());
            case ENUM -> {
                int symbol = in.readEnum();
                if (symbol < 0 || symbol >= writer.getEnumSymbols().size()) {
                    throw new IOException("enum index " + symbol + " out of range for " + writer.getFullName());
                }
            }
            case ARRAY -> {
                Schema readerElement = reader != null && reader.getType() == Schema.Type.ARRAY ? reader.getElementType() : null;
                for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
                    checkCount(n, length);
                    for (long i = 0; i < n; i++) {
                        walk(writer.getElementType(), readerElement, in, length);
                    }
                }
            }
            case MAP -> {
                Schema readerValue = reader != null && reader.getType() == Schema.Type.MAP ? reader.getValueType() : null;
                for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
                    checkCount(n, length);
                    for (long i = 0; i < n; i++) {
                        in.skipString();
                        walk(writer.getValueType(), readerValue, in, length);
                    }
                }
            }
            case UNION -> {
                int index = in.readIndex();
                if (index < 0 || index >= writer.getTypes().size()) {
                    throw new IOException("union index " + index + " out of range");
                }
                Schema branch = writer.getTypes().get(index);
                Schema readerBranch = reader == null ? null : counterpart(branch, reader);
                walk(branch, readerBranch, in, length);
            }
            case RECORD -> {
                for (Schema.Field field : writer.getFields()) {
                    Schema.Field readerField = reader != null && reader.getType() == Schema.Type.RECORD
                            ? readerField(reader, field) : null;
                    walk(field.schema(), readerField == null ? null : readerField.schema(), in, length);
                }
            }
        }
    }

    /**
     * The reader type a writer value resolves to. Named types (records, enums, fixed) resolve by full name or a
     * reader alias only, never by shape; primitives by type, as Avro promotes them.
     */
    private static Schema counterpart(Schema writer, Schema reader) throws IOException {
        if (reader.getType() != Schema.Type.UNION) {
            if (isNamed(writer) && !(isNamed(reader) && sameName(writer, reader))) {
                throw unknownBranch(writer);
            }
            return reader;
        }
        for (Schema candidate : reader.getTypes()) {
            if (isNamed(writer) ? isNamed(candidate) && sameName(writer, candidate) : candidate.getType() == writer.getType()) {
                return candidate;
            }
        }
        if (isNamed(writer)) {
            throw unknownBranch(writer);
        }
        // A primitive without an identical branch (e.g. int read as long): promotion is Avro's to judge.
        return null;
    }

    private static IOException unknownBranch(Schema writer) {
        return new IOException("the message holds a " + writer.getFullName()
                + ", which this reader does not know (written by a newer version: upgrade this consumer)");
    }

    private static boolean isNamed(Schema schema) {
        Schema.Type type = schema.getType();
        return type == Schema.Type.RECORD || type == Schema.Type.ENUM || type == Schema.Type.FIXED;
    }

    private static boolean sameName(Schema writer, Schema reader) {
        Set<String> aliases = reader.getAliases();
        return writer.getFullName().equals(reader.getFullName()) || aliases.contains(writer.getFullName());
    }

    private static Schema.Field readerField(Schema reader, Schema.Field writerField) {
        Schema.Field byName = reader.getField(writerField.name());
        if (byName != null) {
            return byName;
        }
        for (Schema.Field candidate : reader.getFields()) {
            if (candidate.aliases().contains(writerField.name())) {
                return candidate;
            }
        }
        return null;
    }

    /** Every element takes at least one byte in our messages, so a block can never hold more than the body's bytes. */
    private static void checkCount(long count, int length) throws IOException {
        if (count < 0 || count > length) {
            throw new IOException("collection of " + count + " items in a " + length + "-byte body");
        }
    }
}

package io.rollcall.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.RecognizeCommand;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Whatever arrives, the consumer gets either a message or a SerializationException it can dead-letter. */
class AvroDeserializerFailureTest {
    private static final String TOPIC = "rollcall.face.requests";
    private final AvroDeserializer<FaceRequest> requests = new AvroDeserializer<>(FaceRequest.class);

    private static byte[] encodedRecognizeRequest() {
        FaceRequest request = SampleMessages.request("req-1", RecognizeCommand.newBuilder()
                .setImage(SampleMessages.image(1000, 5)).setSessionId(3).build());
        return new AvroSerializer<>(FaceRequest.class).serialize(TOPIC, request);
    }

    @Test
    void an_empty_value_is_too_short_for_the_header() {
        assertThatThrownBy(() -> requests.deserialize(TOPIC, new byte[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot decode io.rollcall.schemas.FaceRequest from topic 'rollcall.face.requests' (0 bytes): "
                        + "shorter than the 10-byte single-object header");
    }

    @Test
    void a_value_cut_inside_the_header_is_too_short() {
        byte[] nine = Arrays.copyOf(encodedRecognizeRequest(), 9);

        assertThatThrownBy(() -> requests.deserialize(TOPIC, nine))
                .isInstanceOf(SerializationException.class)
                .hasMessageEndingWith("(9 bytes): shorter than the 10-byte single-object header");
    }

    @Test
    void json_text_is_not_single_object_encoded() {
        byte[] json = "{\"request_id\":\"req-1\",\"image_base64\":\"...\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> requests.deserialize(TOPIC, json))
                .isInstanceOf(SerializationException.class)
                .hasMessageEndingWith("(43 bytes): not Avro single-object encoded: starts with 7B 22 instead of C3 01");
    }

    @Test
    void an_unknown_fingerprint_is_reported_with_its_value() {
        byte[] bytes = encodedRecognizeRequest();
        ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x0123456789ABCDEFL);

        assertThatThrownBy(() -> requests.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema fingerprint 0123456789ABCDEF: no known version of io.rollcall.schemas.FaceRequest");
    }

    @Test
    void a_message_of_another_type_is_named_in_the_error() {
        byte[] galleryChange = new AvroSerializer<>(GalleryChange.class)
                .serialize("rollcall.gallery.changes", (GalleryChange) SampleMessages.galleryChanges().get(0).message());
        long fingerprint = MessageSchemas.fingerprint(GalleryChange.getClassSchema());

        assertThatThrownBy(() -> requests.deserialize(TOPIC, galleryChange))
                .isInstanceOf(SerializationException.class)
                .hasMessageEndingWith(String.format("schema fingerprint %016X is io.rollcall.schemas.GalleryChange v2, "
                        + "not a version of io.rollcall.schemas.FaceRequest (message on the wrong topic?)", fingerprint));
    }

    @Test
    void every_truncation_of_a_valid_message_is_a_serialization_exception() {
        byte[] bytes = encodedRecognizeRequest();

        for (int length = 10; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> requests.deserialize(TOPIC, cut))
                    .as("cut to %d of %d bytes", length, bytes.length)
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("(" + length + " bytes): undecodable body: java.io.EOFException");
        }
    }

    @Test
    void trailing_bytes_after_the_message_are_refused() {
        byte[] bytes = encodedRecognizeRequest();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> requests.deserialize(TOPIC, longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageEndingWith("undecodable body: java.io.IOException: bytes left over after the message");
    }

    @Test
    void an_image_length_claiming_2_GiB_fails_without_allocating_it() {
        byte[] bytes = encodedRecognizeRequest();
        byte[] corrupt = withImageLength(bytes, Integer.MAX_VALUE - 8);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();

        long before = threads.getThreadAllocatedBytes(thread);
        assertThatThrownBy(() -> requests.deserialize(TOPIC, corrupt))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("undecodable body: java.io.EOFException");
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated).as("bytes allocated while rejecting the message").isLessThan(1 << 20);
    }

    @Test
    void random_bodies_behind_a_valid_header_never_escape_as_another_exception() {
        byte[] header = Arrays.copyOf(encodedRecognizeRequest(), AvroDeserializer.HEADER_BYTES);
        Random random = new Random(20250901);

        for (int i = 0; i < 5000; i++) {
            byte[] bytes = Arrays.copyOf(header, header.length + random.nextInt(200));
            for (int b = header.length; b < bytes.length; b++) {
                bytes[b] = (byte) random.nextInt(256);
            }
            decodeOrSerializationException(requests, bytes, "random body " + i);
        }
    }

    @Test
    void flipped_bytes_in_a_nested_reply_never_escape_as_another_exception() {
        AvroDeserializer<FaceReply> replies = new AvroDeserializer<>(FaceReply.class);
        byte[] valid = new AvroSerializer<>(FaceReply.class)
                .serialize("rollcall.face.replies", (FaceReply) SampleMessages.replies().get(5).message());
        Random random = new Random(7);

        for (int i = 0; i < 5000; i++) {
            byte[] bytes = valid.clone();
            int position = AvroDeserializer.HEADER_BYTES + random.nextInt(bytes.length - AvroDeserializer.HEADER_BYTES);
            bytes[position] = (byte) random.nextInt(256);
            decodeOrSerializationException(replies, bytes, "byte " + position + " flipped, try " + i);
        }
    }

    private static void decodeOrSerializationException(AvroDeserializer<?> deserializer, byte[] bytes, String what) {
        try {
            deserializer.deserialize(TOPIC, bytes);
        } catch (SerializationException expected) {
            assertThat(expected.getMessage()).as(what).startsWith("Cannot decode io.rollcall.schemas.");
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + " escaped as " + e, e);
        }
    }

    /**
     * Rewrites the RecognizeCommand's image length. Layout after the header: request_id, received_at, client,
     * expires_at (union), command branch index 1, then the image's zig-zag varint length.
     */
    private static byte[] withImageLength(byte[] message, int claimedLength) {
        int position = AvroDeserializer.HEADER_BYTES;
        position = skipString(message, position);          // request_id
        position = skipVarint(message, position);          // received_at
        position = skipString(message, position);          // client
        assertThat(message[position]).as("expires_at is set").isEqualTo((byte) 2);
        position = skipVarint(message, position + 1);      // expires_at: branch 1, then the long
        assertThat(message[position]).as("command branch RecognizeCommand").isEqualTo((byte) 2);
        position++;
        int oldEnd = skipVarint(message, position);
        byte[] newLength = zigZagVarint(claimedLength);
        byte[] out = new byte[message.length - (oldEnd - position) + newLength.length];
        System.arraycopy(message, 0, out, 0, position);
        System.arraycopy(newLength, 0, out, position, newLength.length);
        System.arraycopy(message, oldEnd, out, position + newLength.length, message.length - oldEnd);
        return out;
    }

    private static int skipVarint(byte[] bytes, int position) {
        while ((bytes[position] & 0x80) != 0) {
            position++;
        }
        return position + 1;
    }

    private static int skipString(byte[] bytes, int position) {
        long value = 0;
        int shift = 0;
        int b;
        do {
            b = bytes[position++] & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        long length = (value >>> 1) ^ -(value & 1);
        return position + (int) length;
    }

    private static byte[] zigZagVarint(long value) {
        long n = (value << 1) ^ (value >> 63);
        byte[] buffer = new byte[10];
        int i = 0;
        while ((n & ~0x7FL) != 0) {
            buffer[i++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        buffer[i++] = (byte) n;
        return Arrays.copyOf(buffer, i);
    }
}

package io.rollcall.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.messaging.AvroDeserializer;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.RecognizeCommand;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.serializer.SerializationUtils;

/** A request's photo travels from the fetched buffer to the engine without copies, and failures still dead-letter. */
class InPlaceDecodingTest {
    private static final String TOPIC = "rollcall.face-requests";
    private final InPlaceErrorHandlingDeserializer<FaceRequest> deserializer =
            new InPlaceErrorHandlingDeserializer<>(new AvroDeserializer<>(FaceRequest.class));

    @Test
    void decodes_a_request_inside_a_larger_fetched_buffer_and_hands_its_photo_on_uncopied() {
        byte[] photo = new byte[1_600_000];
        new Random(7).nextBytes(photo);
        byte[] message = new AvroSerializer<>(FaceRequest.class).serialize(TOPIC, request(photo));
        byte[] fetched = new byte[message.length + 300];
        System.arraycopy(message, 0, fetched, 100, message.length);
        ByteBuffer value = ByteBuffer.wrap(fetched, 100, message.length);
        RecordHeaders headers = new RecordHeaders();

        FaceRequest decoded = deserializer.deserialize(TOPIC, headers, value);

        ByteBuffer image = ((RecognizeCommand) decoded.getCommand()).getImage();
        byte[] handedOn = AvroMapping.bytes(image);
        assertThat(handedOn).isSameAs(image.array());
        assertThat(Arrays.equals(handedOn, photo)).isTrue();
        assertThat(value.position()).as("the fetched buffer is not moved").isEqualTo(100);
        assertThat(headers.toArray()).isEmpty();
    }

    @Test
    void an_undecodable_value_becomes_null_with_the_failure_in_the_headers_for_the_dead_letter_topic() {
        byte[] garbage = "not an avro message at all".getBytes();
        ByteBuffer value = ByteBuffer.wrap(garbage);
        RecordHeaders headers = new RecordHeaders();

        FaceRequest decoded = deserializer.deserialize(TOPIC, headers, value);

        assertThat(decoded).isNull();
        assertThat(headers.lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER)).isNotNull();
        assertThat(value.position()).isZero();
    }

    @Test
    void a_photo_that_shares_its_array_is_copied_out() {
        byte[] larger = {9, 1, 2, 3, 9};
        ByteBuffer slice = ByteBuffer.wrap(larger, 1, 3).slice();

        byte[] bytes = AvroMapping.bytes(slice);

        assertThat(bytes).containsExactly(1, 2, 3).isNotSameAs(larger);
        assertThat(slice.position()).isZero();
    }

    private static FaceRequest request(byte[] photo) {
        Instant now = Instant.parse("2026-12-07T08:00:00Z");
        return FaceRequest.newBuilder().setRequestId("r-1").setReceivedAt(now).setClient("kiosk")
                .setExpiresAt(now.plusSeconds(30)).setCommand(RecognizeCommand.newBuilder().setImage(ByteBuffer.wrap(photo)).build())
                .build();
    }
}

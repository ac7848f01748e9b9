package io.rollcall.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.messaging.SampleMessages.Sample;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.schemas.RecognizeResult;
import io.rollcall.schemas.VerifyCommand;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeRoundTripTest {
    private static final String TOPIC = "rollcall.test";

    static List<Sample> samples() {
        return SampleMessages.all();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> AvroSerde<T> serdeFor(T message) {
        return new AvroSerde<>((Class<T>) message.getClass());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void every_message_and_union_branch_decodes_to_an_equal_record(Sample sample) {
        AvroSerde<SpecificRecord> serde = serdeFor(sample.message());

        byte[] bytes = serde.serializer().serialize(TOPIC, sample.message());
        SpecificRecord decoded = serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(decoded).isInstanceOf(sample.message().getClass()).isEqualTo(sample.message());
        assertThat(decoded.toString()).isEqualTo(sample.message().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void every_message_starts_with_the_single_object_header_and_its_schema_fingerprint(Sample sample) {
        byte[] bytes = serdeFor(sample.message()).serializer().serialize(TOPIC, sample.message());

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(MessageSchemas.fingerprint(sample.message().getSchema()));
    }

    @Test
    void output_is_byte_for_byte_what_the_generated_class_encodes() throws Exception {
        FaceRequest request = (FaceRequest) SampleMessages.requests().get(2).message();

        byte[] bytes = new AvroSerializer<>(FaceRequest.class).serialize(TOPIC, request);

        ByteBuffer generated = request.toByteBuffer();
        byte[] expected = new byte[generated.remaining()];
        generated.get(expected);
        assertThat(bytes).isEqualTo(expected);
        assertThat(FaceRequest.getDecoder().decode(bytes)).isEqualTo(request);
    }

    @Test
    void an_image_in_a_slice_of_a_larger_array_encodes_as_the_same_bytes_alone_would() {
        byte[] alone = bytesOf(SampleMessages.image(300_000, 5));
        byte[] larger = new byte[alone.length + 1_000];
        System.arraycopy(alone, 0, larger, 700, alone.length);
        ByteBuffer slice = ByteBuffer.wrap(larger, 700, alone.length).slice();
        AvroSerializer<FaceRequest> serializer = new AvroSerializer<>(FaceRequest.class);

        byte[] fromSlice = serializer.serialize(TOPIC, SampleMessages.request("req-slice",
                RecognizeCommand.newBuilder().setImage(slice).build()));
        byte[] fromAlone = serializer.serialize(TOPIC, SampleMessages.request("req-slice",
                RecognizeCommand.newBuilder().setImage(ByteBuffer.wrap(alone)).build()));

        assertThat(fromSlice).isEqualTo(fromAlone);
        assertThat(slice.position()).isZero();
    }

    @Test
    void recognize_request_keeps_its_fields_and_command_branch() {
        AvroSerde<FaceRequest> serde = new AvroSerde<>(FaceRequest.class);
        FaceRequest sent = (FaceRequest) SampleMessages.requests().get(2).message();

        FaceRequest received = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, sent));

        assertThat(received.getRequestId()).isEqualTo("req-recognize");
        assertThat(received.getReceivedAt()).isEqualTo(SampleMessages.T0);
        assertThat(received.getExpiresAt()).isEqualTo(SampleMessages.T0.plusSeconds(30));
        assertThat(received.getMinGalleryVersion()).isEqualTo(41L);
        assertThat(received.getCommand()).isInstanceOfSatisfying(RecognizeCommand.class, command -> {
            assertThat(command.getPersonType()).isEqualTo(PersonType.STUDENT);
            assertThat(command.getSimilarityThreshold()).isEqualTo(0.45);
            assertThat(command.getSourceImageName()).isEqualTo("attendance_scan.jpg");
            assertThat(command.getSessionId()).isEqualTo(17);
            assertThat(bytesOf(command.getImage())).isEqualTo(bytesOf(SampleMessages.image(4096, 3)));
        });
    }

    @Test
    void a_10_MiB_image_round_trips_unchanged() {
        ByteBuffer image = SampleMessages.image(Topics.MAX_IMAGE_BYTES, 99);
        FaceRequest sent = SampleMessages.request("req-big", EnrollCommand.newBuilder().setPersonType(PersonType.STUDENT)
                .setPersonCode("S001").setImage(image).build());
        AvroSerde<FaceRequest> serde = new AvroSerde<>(FaceRequest.class);

        byte[] bytes = serde.serializer().serialize(TOPIC, sent);
        FaceRequest received = serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(bytes.length).isBetween(Topics.MAX_IMAGE_BYTES, Topics.MAX_IMAGE_BYTES + 200);
        EnrollCommand command = (EnrollCommand) received.getCommand();
        assertThat(command.getImage().remaining()).isEqualTo(Topics.MAX_IMAGE_BYTES);
        assertThat(Arrays.equals(bytesOf(command.getImage()), bytesOf(image))).isTrue();
        assertThat(image.position()).as("encoding leaves the caller's buffer unread").isZero();
    }

    @Test
    void a_verify_request_with_two_10_MiB_images_fits_the_topic_message_limit() {
        FaceRequest sent = SampleMessages.request("req-verify-big", VerifyCommand.newBuilder()
                .setImageA(SampleMessages.image(Topics.MAX_IMAGE_BYTES, 1))
                .setImageB(SampleMessages.image(Topics.MAX_IMAGE_BYTES, 2)).build());

        byte[] bytes = new AvroSerializer<>(FaceRequest.class).serialize(TOPIC, sent);

        assertThat(bytes.length).isGreaterThan(2 * Topics.MAX_IMAGE_BYTES).isLessThan(Topics.MAX_MESSAGE_BYTES);
    }

    @Test
    void decodes_from_a_heap_buffer_slice_a_direct_buffer_and_with_headers_without_moving_them() {
        FaceReply reply = (FaceReply) SampleMessages.replies().get(2).message();
        AvroSerde<FaceReply> serde = new AvroSerde<>(FaceReply.class);
        byte[] bytes = serde.serializer().serialize(TOPIC, reply);

        byte[] padded = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        ByteBuffer slice = ByteBuffer.wrap(padded, 3, bytes.length).slice();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        ByteBuffer positioned = ByteBuffer.wrap(padded, 3, bytes.length);

        assertThat(serde.deserializer().deserialize(TOPIC, new RecordHeaders(), slice)).isEqualTo(reply);
        assertThat(serde.deserializer().deserialize(TOPIC, new RecordHeaders(), direct)).isEqualTo(reply);
        assertThat(serde.deserializer().deserialize(TOPIC, new RecordHeaders(), positioned)).isEqualTo(reply);
        assertThat(serde.deserializer().deserialize(TOPIC, new RecordHeaders(), bytes)).isEqualTo(reply);
        assertThat(positioned.position()).isEqualTo(3);
        assertThat(direct.position()).isZero();
        assertThat(((RecognizeResult) serde.deserializer().deserialize(TOPIC, bytes).getResult()).getMatch().getPersonCode())
                .isEqualTo("S001");
    }

    @Test
    void null_is_a_tombstone_both_ways() {
        AvroSerde<GalleryChange> serde = new AvroSerde<>(GalleryChange.class);

        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, (byte[]) null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, new RecordHeaders(), (ByteBuffer) null)).isNull();
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void a_message_of_another_type_is_refused_by_the_serializer() {
        AvroSerializer raw = new AvroSerializer<>(FaceRequest.class);
        FaceReply reply = (FaceReply) SampleMessages.replies().get(0).message();

        assertThatThrownBy(() -> raw.serialize("rollcall.face.requests", reply))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot encode a io.rollcall.schemas.FaceReply with the serializer for "
                        + "io.rollcall.schemas.FaceRequest (topic 'rollcall.face.requests')");
    }

    @Test
    void a_missing_required_field_is_a_serialization_exception_naming_the_field() {
        FaceRequest incomplete = new FaceRequest();
        incomplete.setRequestId("req-x");
        incomplete.setReceivedAt(SampleMessages.T0);
        incomplete.setCommand(RecognizeCommand.newBuilder().setImage(SampleMessages.image(10, 1)).build());

        assertThatThrownBy(() -> new AvroSerializer<>(FaceRequest.class).serialize("rollcall.face.requests", incomplete))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot encode io.rollcall.schemas.FaceRequest for topic 'rollcall.face.requests': ")
                .hasMessageContaining("client");
    }

    @Test
    void one_serde_serves_many_threads_at_once() throws Exception {
        AvroSerde<FaceRequest> serde = new AvroSerde<>(FaceRequest.class);
        List<FaceRequest> requests = new ArrayList<>();
        for (Sample sample : SampleMessages.requests()) {
            requests.add((FaceRequest) sample.message());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 400; i++) {
                        FaceRequest sent = requests.get((i + offset) % requests.size());
                        FaceRequest received = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, sent));
                        if (!received.equals(sent)) {
                            throw new AssertionError("thread " + offset + " iteration " + i + " decoded " + received);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get();
            }
            assertThat(total).isEqualTo(8 * 400);
        } finally {
            pool.shutdownNow();
        }
    }

    static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}

package io.rollcall.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.GalleryChangeKind;
import io.rollcall.schemas.ListCommand;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.RecognizeCommand;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaParser;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Enforces the evolution rules of schemas/README.md: every released version is kept as a history copy, the current
 * schema is one of them (at most one newer version may be announced), every version reads every earlier one, and
 * every earlier one reads it except for union branches and enum symbols it does not know.
 */
class SchemaEvolutionTest {
    private static final String TOPIC = "rollcall.face.requests";
    private static final Set<SchemaIncompatibilityType> NEW_VALUES_ONLY =
            EnumSet.of(SchemaIncompatibilityType.MISSING_UNION_BRANCH, SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS);
    private static final Path CANDIDATES = Path.of("target", "schema-history-candidates");

    static List<Schema> messages() {
        return MessageSchemas.current();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void the_current_schema_is_the_newest_history_copy_or_the_one_before_an_announced_version(Schema current)
            throws IOException {
        List<Schema> history = MessageSchemas.history(current);
        int index = history.indexOf(current);

        if (index < 0) {
            String resource = MessageSchemas.historyResource(current, history.size() + 1);
            Path candidate = CANDIDATES.resolve(Path.of(resource).getFileName());
            Files.createDirectories(CANDIDATES);
            Files.writeString(candidate, SchemaFormatter.format("json/pretty", current) + "\n");
            throw new AssertionError(current.getFullName() + " changed since its newest history copy. Check the change"
                    + " against the rules in schemas/README.md, then copy " + candidate.toAbsolutePath()
                    + " to schemas/src/main/resources/" + resource);
        }
        assertThat(history.size() - 1 - index).as("versions of %s announced after the current one", current.getName())
                .isLessThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void every_history_version_is_a_real_change_from_the_one_before(Schema current) {
        List<Schema> history = MessageSchemas.history(current);

        for (int v = 1; v < history.size(); v++) {
            assertThat(MessageSchemas.fingerprint(history.get(v)))
                    .as("%s v%d and v%d", current.getName(), v, v + 1)
                    .isNotEqualTo(MessageSchemas.fingerprint(history.get(v - 1)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void the_current_schema_reads_every_released_version(Schema current) {
        List<Schema> history = MessageSchemas.history(current);

        for (int v = 1; v <= history.indexOf(current) + 1; v++) {
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, history.get(v - 1));
            assertThat(result.getType()).as("current %s reading v%d: %s", current.getName(), v, result.getResult())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void every_version_reads_every_earlier_version(Schema current) {
        List<Schema> history = MessageSchemas.history(current);

        for (int newer = 1; newer < history.size(); newer++) {
            for (int older = 0; older < newer; older++) {
                SchemaPairCompatibility result =
                        SchemaCompatibility.checkReaderWriterCompatibility(history.get(newer), history.get(older));
                assertThat(result.getType())
                        .as("%s v%d reading v%d: %s", current.getName(), newer + 1, older + 1, result.getResult())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    /**
     * Forward: an older reader decodes every newer message, except one that uses a union branch or enum symbol the
     * reader does not have (a new operation, a new status): those fail alone, and only until the readers are upgraded.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void every_version_reads_every_later_version_apart_from_new_branches_and_symbols(Schema current) {
        List<Schema> history = MessageSchemas.history(current);

        for (int older = 0; older < history.size(); older++) {
            for (int newer = older + 1; newer < history.size(); newer++) {
                SchemaPairCompatibility result =
                        SchemaCompatibility.checkReaderWriterCompatibility(history.get(older), history.get(newer));
                assertThat(result.getResult().getIncompatibilities())
                        .as("%s v%d reading v%d: %s", current.getName(), older + 1, newer + 1, result.getResult())
                        .allSatisfy(incompatibility -> assertThat(incompatibility.getType()).isIn(NEW_VALUES_ONLY));
            }
        }
    }

    @Test
    void a_new_command_is_refused_by_an_older_reader_not_decoded_as_another_command() throws IOException {
        Schema current = FaceRequest.getClassSchema();
        Schema personType = PersonType.getClassSchema();
        Schema restoreCommand = SchemaBuilder.record("RestoreCommand").namespace("io.rollcall.schemas").fields()
                .name("person_type").type(personType).noDefault()
                .requiredString("person_code")
                .endRecord();
        Schema next = withCommandBranch(current, restoreCommand);
        AvroDeserializer<FaceRequest> olderReader = new AvroDeserializer<>(FaceRequest.class, List.of(next));
        BinaryMessageEncoder<GenericRecord> nextWriter = new BinaryMessageEncoder<>(GenericData.get(), next);
        GenericRecord restore = requestOfNext(next, "req-next-1", new GenericRecordBuilder(restoreCommand)
                .set("person_type", new GenericData.EnumSymbol(personType, "STUDENT")).set("person_code", "S001").build());
        GenericRecord recognize = requestOfNext(next, "req-next-2",
                new GenericRecordBuilder(branch(next.getField("command").schema(), "RecognizeCommand"))
                        .set("image", SampleMessages.image(8, 1)).build());

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, next).getResult().getIncompatibilities())
                .extracting(SchemaCompatibility.Incompatibility::getType)
                .containsExactly(SchemaIncompatibilityType.MISSING_UNION_BRANCH);
        assertThatThrownBy(() -> olderReader.deserialize(TOPIC, bytesOf(nextWriter.encode(restore))))
                .isInstanceOf(SerializationException.class)
                .hasMessageEndingWith("undecodable body: java.io.IOException: the message holds a "
                        + "io.rollcall.schemas.RestoreCommand, which this reader does not know (written by a newer version: "
                        + "upgrade this consumer)");
        assertThat(olderReader.deserialize(TOPIC, bytesOf(nextWriter.encode(recognize))).getCommand())
                .isEqualTo(RecognizeCommand.newBuilder().setImage(SampleMessages.image(8, 1)).build());
    }

    /** Why MessageBodyCheck refuses unknown branches: Avro's resolver picks the first record the fields fit. */
    @Test
    void without_the_branch_check_avro_would_decode_that_command_as_a_list_request() throws IOException {
        Schema current = FaceRequest.getClassSchema();
        Schema restoreCommand = SchemaBuilder.record("RestoreCommand").namespace("io.rollcall.schemas").fields()
                .name("person_type").type(PersonType.getClassSchema()).noDefault()
                .requiredString("person_code")
                .endRecord();
        Schema next = withCommandBranch(current, restoreCommand);
        GenericRecord restore = requestOfNext(next, "req-next-1", new GenericRecordBuilder(restoreCommand)
                .set("person_type", new GenericData.EnumSymbol(PersonType.getClassSchema(), "STUDENT"))
                .set("person_code", "S001").build());
        byte[] bytes = bytesOf(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), next).encode(restore));
        SchemaStore.Cache store = new SchemaStore.Cache();
        store.addSchema(next);
        // Avro's class allow-list, as the serdes install it: without it this test depended on another running first.
        TrustedMessageClasses.trust(current);

        FaceRequest plainlyDecoded = FaceRequest.createDecoder(store).decode(bytes);

        assertThat(plainlyDecoded.getCommand()).isEqualTo(ListCommand.newBuilder().setPersonType(PersonType.STUDENT).build());
    }

    @Test
    void a_new_enum_symbol_fails_only_the_messages_that_use_it() throws IOException {
        Schema current = GalleryChange.getClassSchema();
        Schema kind = current.getField("kind").schema();
        List<String> symbols = new ArrayList<>(kind.getEnumSymbols());
        symbols.add("MOVED");
        Schema nextKind = Schema.createEnum(kind.getName(), kind.getDoc(), kind.getNamespace(), symbols);
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : current.getFields()) {
            fields.add(new Schema.Field(field, field.name().equals("kind") ? nextKind : field.schema()));
        }
        Schema next = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        AvroDeserializer<GalleryChange> olderReader = new AvroDeserializer<>(GalleryChange.class, List.of(next));
        BinaryMessageEncoder<GenericRecord> nextWriter = new BinaryMessageEncoder<>(GenericData.get(), next);
        GenericRecordBuilder change = new GenericRecordBuilder(next).set("change_id", "c-1")
                .set("person_type", new GenericData.EnumSymbol(PersonType.getClassSchema(), "STUDENT"))
                .set("person_code", "S001").set("model_pack", "buffalo_l").set("occurred_at", SampleMessages.T0.toEpochMilli());

        GalleryChange removed = olderReader.deserialize("rollcall.gallery.changes", bytesOf(nextWriter.encode(
                change.set("kind", new GenericData.EnumSymbol(nextKind, "REMOVED_PERSON")).build())));
        assertThat(removed.getKind()).isEqualTo(GalleryChangeKind.REMOVED_PERSON);
        assertThatThrownBy(() -> olderReader.deserialize("rollcall.gallery.changes", bytesOf(nextWriter.encode(
                change.set("kind", new GenericData.EnumSymbol(nextKind, "MOVED")).build()))))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("MOVED");
    }

    @Test
    void a_gallery_change_carries_ids_only_never_an_embedding_or_a_name() {
        Schema current = GalleryChange.getClassSchema();

        assertThat(fieldNames(current)).containsExactly("change_id", "kind", "face_data_id", "person_type", "person_code",
                "model_pack", "occurred_at", "request_id");
        assertThat(current.toString()).doesNotContain("\"float\"").doesNotContain("\"bytes\"");
        assertThat(fieldNames(MessageSchemas.history(current).get(0))).contains("person_name", "embedding");
    }

    @Test
    void a_v1_gallery_change_is_still_read_and_its_embedding_and_name_are_dropped() throws IOException {
        Schema v1 = MessageSchemas.history(GalleryChange.getClassSchema()).get(0);
        GenericRecord written = new GenericRecordBuilder(v1).set("change_id", "c-v1")
                .set("kind", new GenericData.EnumSymbol(v1.getField("kind").schema(), "ADDED")).set("face_data_id", 123L)
                .set("person_type", new GenericData.EnumSymbol(v1.getField("person_type").schema(), "STUDENT"))
                .set("person_code", "S001").set("person_name", "Zoë Ndlovu").set("model_pack", "buffalo_l")
                .set("embedding", SampleMessages.boxed(SampleMessages.embedding(512, 12)))
                .set("occurred_at", SampleMessages.T0.toEpochMilli()).set("request_id", "req-enroll").build();
        byte[] bytes = bytesOf(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(written));

        GalleryChange read = new AvroDeserializer<>(GalleryChange.class).deserialize("rollcall.gallery.changes", bytes);

        assertThat(headerFingerprint(bytes)).isEqualTo(MessageSchemas.fingerprint(v1));
        assertThat(read).isEqualTo(GalleryChange.newBuilder().setChangeId("c-v1").setKind(GalleryChangeKind.ADDED)
                .setFaceDataId(123L).setPersonType(PersonType.STUDENT).setPersonCode("S001").setModelPack("buffalo_l")
                .setOccurredAt(SampleMessages.T0).setRequestId("req-enroll").build());
    }

    @Test
    void face_request_history_is_v1_v2_which_adds_min_gallery_version_v3_the_status_command_v4_deleting_a_person_by_sample_v5_the_admin_pages_reads_and_v6_the_model_command() {
        List<Schema> history = MessageSchemas.history(FaceRequest.getClassSchema());

        assertThat(history).hasSize(6);
        assertThat(history.get(5).getField("command").schema().getTypes()).extracting(Schema::getName)
                .endsWith("SamplePhotoCommand", "SessionsCommand", "AttendanceCommand", "ModelCommand");
        assertThat(history.get(4).getField("command").schema().getTypes()).extracting(Schema::getName)
                .endsWith("StatusCommand", "DeletePersonOfSampleCommand", "SamplePhotoCommand", "SessionsCommand", "AttendanceCommand");
        assertThat(history.get(3).getField("command").schema().getTypes()).extracting(Schema::getName)
                .endsWith("StatusCommand", "DeletePersonOfSampleCommand");
        assertThat(fieldNames(history.get(2))).isEqualTo(fieldNames(history.get(1)));
        assertThat(history.get(2).getField("command").schema().getTypes()).extracting(Schema::getName)
                .containsAll(history.get(1).getField("command").schema().getTypes().stream().map(Schema::getName).toList())
                .contains("StatusCommand");
        assertThat(fieldNames(history.get(0)))
                .containsExactly("request_id", "received_at", "client", "expires_at", "command");
        assertThat(fieldNames(history.get(1)))
                .containsExactly("request_id", "received_at", "client", "expires_at", "command", "min_gallery_version");
    }

    @Test
    void a_v1_face_request_is_read_by_the_current_class_with_the_new_field_defaulted() throws IOException {
        Schema v1 = MessageSchemas.history(FaceRequest.getClassSchema()).get(0);
        Schema recognizeV1 = branch(v1.getField("command").schema(), "RecognizeCommand");
        Schema personType = recognizeV1.getField("person_type").schema().getTypes().get(1);
        GenericRecord command = new GenericRecordBuilder(recognizeV1)
                .set("image", SampleMessages.image(256, 21))
                .set("person_type", new GenericData.EnumSymbol(personType, "TEACHER"))
                .set("session_id", 17)
                .build();
        GenericRecord written = new GenericRecordBuilder(v1)
                .set("request_id", "req-from-v1")
                .set("received_at", SampleMessages.T0.toEpochMilli())
                .set("client", "ingress-0.9")
                .set("command", command)
                .build();
        byte[] bytes = bytesOf(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(written));

        FaceRequest read = new AvroDeserializer<>(FaceRequest.class).deserialize(TOPIC, bytes);

        assertThat(headerFingerprint(bytes)).isEqualTo(MessageSchemas.fingerprint(v1))
                .isNotEqualTo(MessageSchemas.fingerprint(FaceRequest.getClassSchema()));
        assertThat(read.getMinGalleryVersion()).isNull();
        assertThat(read).isEqualTo(FaceRequest.newBuilder()
                .setRequestId("req-from-v1")
                .setReceivedAt(SampleMessages.T0)
                .setClient("ingress-0.9")
                .setCommand(RecognizeCommand.newBuilder().setImage(SampleMessages.image(256, 21))
                        .setPersonType(PersonType.TEACHER).setSessionId(17).build())
                .build());
    }

    @Test
    void a_v2_face_request_is_read_by_a_v1_reader_which_ignores_the_new_field() throws IOException {
        Schema v1 = MessageSchemas.history(FaceRequest.getClassSchema()).get(0);
        FaceRequest sent = SampleMessages.request("req-v2", RecognizeCommand.newBuilder()
                .setImage(SampleMessages.image(128, 22)).setSimilarityThreshold(0.55).build());
        byte[] bytes = new AvroSerializer<>(FaceRequest.class).serialize(TOPIC, sent);

        GenericDatumReader<GenericRecord> v1Reader = new GenericDatumReader<>(FaceRequest.getClassSchema(), v1);
        BinaryDecoder body = DecoderFactory.get().binaryDecoder(bytes, AvroDeserializer.HEADER_BYTES,
                bytes.length - AvroDeserializer.HEADER_BYTES, null);
        GenericRecord read = v1Reader.read(null, body);

        assertThat(headerFingerprint(bytes)).isEqualTo(MessageSchemas.fingerprint(FaceRequest.getClassSchema()));
        assertThat(body.isEnd()).isTrue();
        assertThat(read.getSchema()).isEqualTo(v1);
        assertThat(read.hasField("min_gallery_version")).isFalse();
        assertThat(read.get("request_id").toString()).isEqualTo("req-v2");
        assertThat(read.get("received_at")).isEqualTo(SampleMessages.T0.toEpochMilli());
        assertThat(read.get("expires_at")).isEqualTo(SampleMessages.T0.plusSeconds(30).toEpochMilli());
        assertThat(read.get("client").toString()).isEqualTo("attendance-kiosk-3");
        GenericRecord command = (GenericRecord) read.get("command");
        assertThat(command.getSchema().getName()).isEqualTo("RecognizeCommand");
        assertThat(command.get("similarity_threshold")).isEqualTo(0.55);
        assertThat(command.get("person_type")).isNull();
        assertThat(command.get("image")).isEqualTo(SampleMessages.image(128, 22));
    }

    @Test
    void the_compatibility_check_catches_the_changes_the_rules_forbid() {
        String v2 = FaceRequest.getClassSchema().toString();
        Schema current = FaceRequest.getClassSchema();

        // A new field without a default: the new reader cannot fill it from old messages.
        Schema requiredField = parse(v2.replace("\"fields\":[{\"name\":\"request_id\"",
                "\"fields\":[{\"name\":\"school_id\",\"type\":\"int\"},{\"name\":\"request_id\""));
        // A renamed field: old readers find no value for the old name.
        Schema renamed = parse(v2.replace("\"name\":\"client\"", "\"name\":\"caller\""));
        // A changed type.
        Schema retyped = parse(v2.replace("{\"name\":\"min_gallery_version\",\"type\":[\"null\",\"long\"]",
                "{\"name\":\"min_gallery_version\",\"type\":[\"null\",\"string\"]"));

        assertThat(backward(requiredField, current)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(backward(renamed, current)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(backward(current, renamed)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(backward(retyped, current)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        // The allowed change, an optional field with a default, passes both ways (v1 to v2).
        Schema v1 = MessageSchemas.history(current).get(0);
        Schema v2Schema = MessageSchemas.history(current).get(1);
        assertThat(backward(v2Schema, v1)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(backward(v1, v2Schema)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        // A new command branch (v3's status command) is read by the new reader from old messages, but not the other
        // way: readers (workers) are upgraded before writers (ingress), as the README's rules say.
        assertThat(backward(current, v2Schema)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(backward(v2Schema, current)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static GenericRecord requestOfNext(Schema next, String requestId, GenericRecord command) {
        return new GenericRecordBuilder(next).set("request_id", requestId)
                .set("received_at", SampleMessages.T0.toEpochMilli()).set("client", "ingress-next")
                .set("command", command).build();
    }

    private static Schema withCommandBranch(Schema request, Schema newBranch) {
        List<Schema> branches = new ArrayList<>(request.getField("command").schema().getTypes());
        branches.add(newBranch);
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : request.getFields()) {
            fields.add(new Schema.Field(field, field.name().equals("command") ? Schema.createUnion(branches) : field.schema()));
        }
        return Schema.createRecord(request.getName(), request.getDoc(), request.getNamespace(), false, fields);
    }

    private static SchemaCompatibilityType backward(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
    }

    private static Schema parse(String json) {
        assertThat(json).isNotEqualTo(FaceRequest.getClassSchema().toString());
        return new SchemaParser().parse(json).mainSchema();
    }

    private static Schema branch(Schema union, String name) {
        return union.getTypes().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> fieldNames(Schema record) {
        List<String> names = new ArrayList<>();
        record.getFields().forEach(f -> names.add(f.name()));
        return names;
    }

    private static long headerFingerprint(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}

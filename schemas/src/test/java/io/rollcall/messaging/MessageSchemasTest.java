package io.rollcall.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.MigrationJob;
import io.rollcall.schemas.WorkerHeartbeat;
import io.rollcall.schemas.GalleryChangeKind;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.RecognitionLogEvent;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.Test;

class MessageSchemasTest {

    @Test
    void eight_messages_travel_on_the_topics() {
        assertThat(MessageSchemas.current()).extracting(Schema::getName).containsExactly(
                "FaceRequest", "FaceReply", "GalleryChange", "RecognitionLogEvent", "BulkEnrollJob", "BulkJobProgress",
                "MigrationJob", "WorkerHeartbeat");
    }

    @Test
    void every_message_has_its_released_versions() {
        assertThat(MessageSchemas.history(FaceRequest.getClassSchema())).hasSize(4);
        assertThat(MessageSchemas.history(FaceReply.getClassSchema())).hasSize(6);
        assertThat(MessageSchemas.history(BulkJobProgress.getClassSchema())).hasSize(2);
        assertThat(MessageSchemas.history(WorkerHeartbeat.getClassSchema())).hasSize(3);
        for (Schema other : List.of(GalleryChange.getClassSchema(), RecognitionLogEvent.getClassSchema(),
                BulkEnrollJob.getClassSchema(), MigrationJob.getClassSchema())) {
            assertThat(MessageSchemas.history(other)).as(other.getName()).hasSize(1);
        }
        assertThat(MessageSchemas.historyResource(FaceRequest.getClassSchema(), 3))
                .isEqualTo("io/rollcall/schemas/history/FaceRequest-v3.avsc");
    }

    @Test
    void a_record_without_history_copies_has_an_empty_history() {
        assertThat(MessageSchemas.history(EnrollCommand.getClassSchema())).isEmpty();
    }

    @Test
    void fingerprints_name_their_message_version() {
        List<Schema> requestVersions = MessageSchemas.history(FaceRequest.getClassSchema());

        assertThat(MessageSchemas.describeFingerprint(MessageSchemas.fingerprint(requestVersions.get(0))))
                .contains("io.rollcall.schemas.FaceRequest v1");
        assertThat(MessageSchemas.describeFingerprint(MessageSchemas.fingerprint(FaceRequest.getClassSchema())))
                .contains("io.rollcall.schemas.FaceRequest v4");
        assertThat(MessageSchemas.describeFingerprint(42L)).isEmpty();
    }

    @Test
    void a_deserializer_accepts_the_current_schema_and_every_history_version() {
        assertThat(new AvroDeserializer<>(FaceRequest.class).knownFingerprints()).containsExactlyInAnyOrder(
                MessageSchemas.fingerprint(MessageSchemas.history(FaceRequest.getClassSchema()).get(0)),
                MessageSchemas.fingerprint(MessageSchemas.history(FaceRequest.getClassSchema()).get(1)),
                MessageSchemas.fingerprint(MessageSchemas.history(FaceRequest.getClassSchema()).get(2)),
                MessageSchemas.fingerprint(FaceRequest.getClassSchema()));
        assertThat(new AvroDeserializer<>(GalleryChange.class).knownFingerprints())
                .containsExactly(MessageSchemas.fingerprint(GalleryChange.getClassSchema()));
    }

    @Test
    void an_older_writer_schema_of_another_record_is_refused() {
        assertThatThrownBy(() -> new AvroDeserializer<>(FaceRequest.class, List.of(GalleryChange.getClassSchema())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writer schema io.rollcall.schemas.GalleryChange is not a version of io.rollcall.schemas.FaceRequest");
    }

    @Test
    void serdes_trust_exactly_their_generated_classes_and_keep_the_applications_own_trust() {
        ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        try {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.builder().add(java.util.UUID.class).build());

            new AvroSerde<>(GalleryChange.class);

            ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
            assertThat(global.isTrusted(GalleryChange.class)).isTrue();
            assertThat(global.isTrusted(GalleryChangeKind.class)).isTrue();
            assertThat(global.isTrusted(PersonType.class)).isTrue();
            assertThat(global.isTrusted(java.util.UUID.class)).as("the application's own entry").isTrue();
            assertThat(global.isTrusted(java.io.File.class)).isFalse();
            assertThat(global.isTrusted(java.util.HashMap.class)).isFalse();
        } finally {
            ClassSecurityValidator.setGlobal(before);
        }
    }
}

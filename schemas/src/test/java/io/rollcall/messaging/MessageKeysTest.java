package io.rollcall.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schemas.DeleteByIdCommand;
import io.rollcall.schemas.DeleteCommand;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.RecognizeCommand;
import org.junit.jupiter.api.Test;

class MessageKeysTest {

    @Test
    void enrollments_and_deletions_are_keyed_by_person() {
        assertThat(MessageKeys.faceRequest(SampleMessages.request("req-1", EnrollCommand.newBuilder()
                .setPersonType(PersonType.STUDENT).setPersonCode("S001").setImage(SampleMessages.image(4, 1)).build())))
                .isEqualTo("student:S001");
        assertThat(MessageKeys.faceRequest(SampleMessages.request("req-2", DeleteCommand.newBuilder()
                .setPersonType(PersonType.TEACHER).setPersonCode("T042      ").build())))
                .isEqualTo("teacher:T042");
    }

    @Test
    void other_requests_are_keyed_by_request_id() {
        assertThat(MessageKeys.faceRequest(SampleMessages.request("req-3", RecognizeCommand.newBuilder()
                .setImage(SampleMessages.image(4, 1)).build()))).isEqualTo("req-3");
        assertThat(MessageKeys.faceRequest(SampleMessages.request("req-4", DeleteByIdCommand.newBuilder()
                .setFaceDataId(9L).build()))).isEqualTo("req-4");
    }

    @Test
    void gallery_changes_are_keyed_by_person() {
        GalleryChange change = (GalleryChange) SampleMessages.galleryChanges().get(2).message();

        assertThat(MessageKeys.galleryChange(change)).isEqualTo("teacher:T042");
    }
}

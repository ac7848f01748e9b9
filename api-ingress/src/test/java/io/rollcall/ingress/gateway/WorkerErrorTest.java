package io.rollcall.ingress.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.schemas.ErrorInfo;
import org.junit.jupiter.api.Test;

/** How a worker's error reply becomes the exception the HTTP layer renders ({@link KafkaFaceGateway#toException}). */
class WorkerErrorTest {

    @Test
    void keepsTheCodeMessageAndDetailsButNotTheWorkersSuggestion() {
        RollcallException e = KafkaFaceGateway.toException(ErrorInfo.newBuilder().setCode("NO_FACE_DETECTED")
                .setMessage("No face detected in the provided image")
                .setDetailsJson("{\"suggestion\": \"worker advice\", \"faces\": 0, \"detector\": {\"threshold\": 0.7}}")
                .build());

        assertThat(e.code()).isEqualTo(ErrorCode.NO_FACE_DETECTED);
        assertThat(e.getMessage()).isEqualTo("No face detected in the provided image");
        assertThat(e.details()).containsOnlyKeys("faces", "detector");
        assertThat(e.details().get("faces")).isEqualTo(0);
    }

    @Test
    void aDetailWithoutAValueIsLeftOutRatherThanFailingTheReply() {
        RollcallException e = KafkaFaceGateway.toException(ErrorInfo.newBuilder().setCode("PERSON_NOT_FOUND")
                .setMessage("No face enrolled for student S404")
                .setDetailsJson("{\"person_code\": \"S404\", \"person_name\": null}").build());

        assertThat(e.code()).isEqualTo(ErrorCode.PERSON_NOT_FOUND);
        assertThat(e.details()).containsOnlyKeys("person_code");
    }

    @Test
    void aCodeThisIngressDoesNotKnowIsAnInternalError() {
        RollcallException e = KafkaFaceGateway.toException(ErrorInfo.newBuilder().setCode("SOMETHING_NEWER")
                .setMessage("from a newer worker").build());

        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(e.getMessage()).isEqualTo("from a newer worker");
    }

    @Test
    void detailsThatAreNotJsonArePassedOnAsText() {
        RollcallException e = KafkaFaceGateway.toException(ErrorInfo.newBuilder().setCode("DATABASE_ERROR")
                .setMessage("down").setDetailsJson("not json").build());

        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
        assertThat(e.details()).containsEntry("worker_details", "not json");
    }

    @Test
    void aFailureWithoutAnErrorIsAnInternalError() {
        assertThat(KafkaFaceGateway.toException(null).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }
}

package io.rollcall.ingress.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.json.Json;
import io.rollcall.schemas.DeleteByIdCommand;
import io.rollcall.schemas.DeleteCommand;
import io.rollcall.schemas.DeletePersonOfSampleCommand;
import io.rollcall.schemas.DeleteResult;
import io.rollcall.schemas.FaceEntry;
import io.rollcall.schemas.ListCommand;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.PersonType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListAndDeleteHttpTest extends IngressHttpTest {

    private void workerLists() {
        gateway.answer(ListResult.newBuilder().setTotalCount(25).setFaces(List.of(
                FaceEntry.newBuilder().setId(1).setPersonType(PersonType.STUDENT).setPersonCode("S001")
                        .setPersonName("John Doe").setEnrollmentDate(Instant.parse("2024-01-15T10:30:00.400Z"))
                        .setHasImage(true).setSamples(3).build(),
                FaceEntry.newBuilder().setId(2).setPersonType(PersonType.TEACHER).setPersonCode("T001")
                        .setPersonName(null).setEnrollmentDate(Instant.parse("2024-07-16T09:00:00Z"))
                        .setHasImage(false).setSamples(1).build())).build());
    }

    @Test
    void listsEnrolledPersonsWithTheirSampleCountsAndTimesWithTheSchoolsOffset() {
        workerLists();

        HttpAnswer answer = get("/api/face/list/all");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "total_count": 25, "faces": [
                  {"id": 1, "person_type": "student", "person_code": "S001", "person_name": "John Doe",
                   "enrollment_date": "2024-01-15T11:30:00+01:00", "has_image": true, "samples": 3},
                  {"id": 2, "person_type": "teacher", "person_code": "T001", "person_name": null,
                   "enrollment_date": "2024-07-16T11:00:00+02:00", "has_image": false, "samples": 1}]}"""));
        ListCommand command = gateway.onlyCommand(ListCommand.class);
        assertThat(command.getPersonType()).isNull();
        assertThat(command.getPage()).isNull();
        assertThat(command.getPageSize()).isNull();
        assertThat(command.getPerSample()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/api/face/list/all?per_sample=true, true",
            "/api/face-descriptors/student?per_sample=true&page=1&page_size=10, true",
            "/api/face/list/all?per_sample=false, false",
    })
    void listsOneEntryPerSampleWhenAsked(String path, boolean perSample) {
        workerLists();

        assertThat(get(path).status()).isEqualTo(200);

        assertThat(gateway.onlyCommand(ListCommand.class).getPerSample()).isEqualTo(perSample);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/api/face/list/student, STUDENT",
            "/api/face/list/teacher, TEACHER",
            "/api/face-descriptors/student, STUDENT",
            "/api/face-descriptors/teacher, TEACHER",
    })
    void filtersByPersonTypeOnBothPaths(String path, PersonType type) {
        workerLists();

        assertThat(get(path).status()).isEqualTo(200);

        assertThat(gateway.onlyCommand(ListCommand.class).getPersonType()).isEqualTo(type);
    }

    @Test
    void nodeJsDescriptorsPathListsAllToo() {
        workerLists();

        HttpAnswer answer = get("/api/face-descriptors/all");

        assertThat(answer.json().get("total_count").asInt()).isEqualTo(25);
        assertThat(gateway.onlyCommand(ListCommand.class).getPersonType()).isNull();
    }

    @Test
    void pagesWhenAskedAndEchoesThePage() {
        workerLists();

        HttpAnswer answer = get("/api/face/list/student?page=2&page_size=50");

        assertThat(answer.json().get("page").asInt()).isEqualTo(2);
        assertThat(answer.json().get("page_size").asInt()).isEqualTo(50);
        ListCommand command = gateway.onlyCommand(ListCommand.class);
        assertThat(command.getPage()).isEqualTo(2);
        assertThat(command.getPageSize()).isEqualTo(50);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/api/face/list/staff, person_type",
            "/api/face-descriptors/staff, person_type",
            "/api/face/list/all?page=1, page_size",
            "/api/face/list/all?page_size=10, page",
            "/api/face/list/all?page=0&page_size=10, page",
            "/api/face/list/all?page=1&page_size=0, page_size",
            "/api/face/list/all?page=1&page_size=1001, page_size",
            "/api/face/list/all?page=abc&page_size=10, page",
            "/api/face/list/all?per_sample=maybe, per_sample",
    })
    void refusesBadListParametersNamingThem(String path, String field) {
        get(path).assertValidationError(field);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void deletesEveryFaceOfAPerson() {
        gateway.answer(DeleteResult.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001")
                .setDeletedSamples(3).build());

        HttpAnswer answer = deleteJson("/api/face/delete", "{\"person_type\": \"student\", \"person_code\": \"S001\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "message": "Face enrollment deleted successfully", "deleted_samples": 3}"""));
        DeleteCommand command = gateway.onlyCommand(DeleteCommand.class);
        assertThat(command.getPersonType()).isEqualTo(PersonType.STUDENT);
        assertThat(command.getPersonCode()).isEqualTo("S001");
    }

    @Test
    void deletingSomeoneNotEnrolledIsNotFound() {
        gateway.fail(new RollcallException(ErrorCode.PERSON_NOT_FOUND, "No face enrolled for student S404",
                Map.of("person_type", "student", "person_code", "S404")));

        HttpAnswer answer = deleteJson("/api/face/delete", "{\"person_type\": \"student\", \"person_code\": \"S404\"}");

        assertThat(answer.assertError(404, ErrorCode.PERSON_NOT_FOUND).get("person_code").asString()).isEqualTo("S404");
        assertThat(answer.message()).isEqualTo("No face enrolled for student S404");
    }

    @Test
    void deleteWithoutACodeNamesIt() {
        deleteJson("/api/face/delete", "{\"person_type\": \"student\"}").assertValidationError("person_code");
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void nodeJsAdminPathDeletesThePersonTheSampleBelongsTo() {
        gateway.answer(DeleteResult.newBuilder().setPersonType(PersonType.TEACHER).setPersonCode("T001")
                .setDeletedSamples(3).build());

        HttpAnswer answer = delete("/api/admin/face/42");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "message": "Face enrollment deleted successfully", "deleted_samples": 3}"""));
        assertThat(gateway.onlyCommand(DeletePersonOfSampleCommand.class).getFaceDataId()).isEqualTo(42L);
    }

    @Test
    void deletesOneSampleById() {
        gateway.answer(DeleteResult.newBuilder().setPersonType(PersonType.TEACHER).setPersonCode("T001")
                .setDeletedSamples(1).build());

        HttpAnswer answer = delete("/api/face/sample/42");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Json.MAPPER.readTree("""
                {"success": true, "message": "Face sample deleted successfully", "deleted_samples": 1}"""));
        assertThat(gateway.onlyCommand(DeleteByIdCommand.class).getFaceDataId()).isEqualTo(42L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/api/admin/face/99", "/api/face/sample/99"})
    void anUnknownSampleIdIsNotFound(String path) {
        gateway.fail(new RollcallException(ErrorCode.PERSON_NOT_FOUND, "No face sample with id 99", Map.of("id", 99)));

        HttpAnswer answer = delete(path);

        assertThat(answer.assertError(404, ErrorCode.PERSON_NOT_FOUND).get("id").asLong()).isEqualTo(99L);
        assertThat(answer.message()).isEqualTo("No face sample with id 99");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/api/admin/face/abc", "/api/admin/face/0", "/api/admin/face/-5", "/api/admin/face/99999999999999999999",
            "/api/admin/face/1.5", "/api/face/sample/abc", "/api/face/sample/0", "/api/face/sample/-5", "/api/face/sample/1.5"})
    void refusesAnIdThatIsNotAPositiveInteger(String path) {
        delete(path).assertValidationError("id");
        assertThat(gateway.calls()).isEmpty();
    }
}

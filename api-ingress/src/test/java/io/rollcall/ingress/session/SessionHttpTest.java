package io.rollcall.ingress.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.schemas.AttendanceCommand;
import io.rollcall.schemas.AttendanceEntry;
import io.rollcall.schemas.AttendanceResult;
import io.rollcall.schemas.SessionEntry;
import io.rollcall.schemas.SessionsCommand;
import io.rollcall.schemas.SessionsResult;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.node.ObjectNode;

/** Sessions and attendance read back, in the school's calendar and clock (Europe/London here). */
@TestPropertySource(properties = "ingress.env.SCHOOL_TIMEZONE=Europe/London")
class SessionHttpTest extends IngressHttpTest {

    @Test
    void listsADaysSessionsWithTimesInTheSchoolsOffset() {
        gateway.answer(SessionsResult.newBuilder().setTruncated(false).setSessions(List.of(SessionEntry.newBuilder()
                .setSessionId(12).setStartTime(Instant.parse("2026-06-01T07:00:00Z")).setAttendanceCount(3).build())).build());

        ObjectNode body = get("/api/sessions?date=2026-06-01").json();

        assertThat(gateway.onlyCommand(SessionsCommand.class).getDay()).isEqualTo(LocalDate.of(2026, 6, 1));
        assertThat(body.toString()).isEqualTo("{\"success\":true,\"date\":\"2026-06-01\",\"sessions\":[{\"session_id\":12,"
                + "\"start_time\":\"2026-06-01T08:00:00+01:00\",\"attendance_count\":3}],\"truncated\":false}");
    }

    @Test
    void withoutADateListsTodayInTheSchoolsCalendar() {
        gateway.answer(SessionsResult.newBuilder().setTruncated(false).setSessions(List.of()).build());
        LocalDate before = LocalDate.now(java.time.ZoneId.of("Europe/London"));

        String date = get("/api/sessions").json().path("date").asString();

        assertThat(gateway.onlyCommand(SessionsCommand.class).getDay().toString()).isEqualTo(date);
        assertThat(LocalDate.parse(date)).isBetween(before, LocalDate.now(java.time.ZoneId.of("Europe/London")));
    }

    @Test
    void showsASessionsRecords() {
        gateway.answer(AttendanceResult.newBuilder().setSessionId(12).setStartTime(Instant.parse("2026-01-05T08:00:00Z"))
                .setTruncated(false).setRecords(List.of(
                        AttendanceEntry.newBuilder().setStudentCode("S001").setStudentName("Ama Mensah").setStatus("Late")
                                .setRecordedAtMillis(Instant.parse("2026-01-05T08:12:00Z").toEpochMilli()).build(),
                        AttendanceEntry.newBuilder().setStudentCode("S009").setStatus("Absent").build())).build());

        ObjectNode body = get("/api/sessions/12/attendance").json();

        assertThat(gateway.onlyCommand(AttendanceCommand.class).getSessionId()).isEqualTo(12);
        assertThat(body.toString()).isEqualTo("{\"success\":true,\"session_id\":12,\"start_time\":\"2026-01-05T08:00:00+00:00\","
                + "\"records\":[{\"student_code\":\"S001\",\"student_name\":\"Ama Mensah\",\"status\":\"Late\","
                + "\"recorded_at\":\"2026-01-05T08:12:00+00:00\"},{\"student_code\":\"S009\",\"student_name\":null,"
                + "\"status\":\"Absent\",\"recorded_at\":null}],\"truncated\":false}");
    }

    @Test
    void anUnknownSessionIsNotFound() {
        gateway.fail(new RollcallException(ErrorCode.NOT_FOUND, "No session with id 99", Map.of("session_id", 99L)));
        HttpAnswer answer = get("/api/sessions/99/attendance");
        answer.assertError(404, ErrorCode.NOT_FOUND);
        assertThat(answer.message()).isEqualTo("No session with id 99");
    }

    @Test
    void aMalformedDayOrIdIsAValidationErrorAndReachesNoWorker() {
        get("/api/sessions?date=2026-13-01").assertValidationError("date");
        get("/api/sessions?date=yesterday").assertValidationError("date");
        get("/api/sessions/0/attendance").assertValidationError("id");
        get("/api/sessions/abc/attendance").assertValidationError("id");
        assertThat(gateway.calls()).isEmpty();
    }
}

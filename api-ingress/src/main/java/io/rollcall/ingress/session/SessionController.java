package io.rollcall.ingress.session;

import io.rollcall.ingress.gateway.FaceGateway;
import io.rollcall.ingress.http.Fields;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.http.RequestIds;
import io.rollcall.ingress.http.SchoolTime;
import io.rollcall.ingress.http.WorkerHeader;
import io.rollcall.schemas.AttendanceCommand;
import io.rollcall.schemas.AttendanceResult;
import io.rollcall.schemas.SessionsCommand;
import io.rollcall.schemas.SessionsResult;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reading attendance back: the sessions of a day and the records of one session, as the school office checks
 * them (the admin page's Sessions screen). Read-only, so an ordinary key is enough. Days are the school's
 * ({@code SCHOOL_TIMEZONE}), as {@code Sessions.StartTime} is.
 */
@RestController
public final class SessionController {
    private final FaceGateway gateway;
    private final SchoolTime time;

    public SessionController(FaceGateway gateway, IngressSettings settings) {
        this.gateway = gateway;
        this.time = settings.schoolTime();
    }

    /** The sessions of one day. */
    public record Sessions(boolean success, String date, List<SessionBody> sessions, boolean truncated) {
    }

    /** A session: its start and how many attendance records it holds. */
    public record SessionBody(long sessionId, String startTime, int attendanceCount) {
    }

    /** One session's attendance records, in the order they were written. */
    public record Attendance(boolean success, long sessionId, String startTime, List<RecordBody> records, boolean truncated) {
    }

    /** {@code status} as the school's table holds it: Present, Late or Absent. */
    public record RecordBody(String studentCode, String studentName, String status, String recordedAt) {
    }

    /** @param date {@code YYYY-MM-DD}; today in the school's calendar when absent */
    @GetMapping("/api/sessions")
    public Sessions sessions(@RequestParam(name = "date", required = false) String date, HttpServletRequest http) {
        LocalDate day = day(date);
        SessionsResult r = (SessionsResult) call(http, SessionsCommand.newBuilder().setDay(day).build());
        return new Sessions(true, day.toString(), r.getSessions().stream()
                .map(s -> new SessionBody(s.getSessionId(), time.toSecond(s.getStartTime()), s.getAttendanceCount())).toList(),
                r.getTruncated());
    }

    @GetMapping("/api/sessions/{id}/attendance")
    public Attendance attendance(@PathVariable("id") String id, HttpServletRequest http) {
        long sessionId = sessionId(id);
        AttendanceResult r = (AttendanceResult) call(http, AttendanceCommand.newBuilder().setSessionId(sessionId).build());
        return new Attendance(true, r.getSessionId(), time.toSecond(r.getStartTime()), r.getRecords().stream()
                .map(a -> new RecordBody(a.getStudentCode(), a.getStudentName(), a.getStatus(), recordedAt(a.getRecordedAtMillis())))
                .toList(), r.getTruncated());
    }

    private String recordedAt(Long epochMillis) {
        return epochMillis == null ? null : time.toSecond(Instant.ofEpochMilli(epochMillis));
    }

    private LocalDate day(String date) {
        if (date == null || date.isBlank()) {
            return LocalDate.now(time.zone());
        }
        try {
            return LocalDate.parse(date.strip());
        } catch (DateTimeParseException e) {
            throw Fields.invalid("date", "date must be a day as YYYY-MM-DD, got '" + abbreviated(date) + "'");
        }
    }

    private static long sessionId(String id) {
        try {
            long value = Long.parseLong(id.strip());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw Fields.invalid("id", "id must be a session id (a positive integer), got '" + abbreviated(id) + "'");
    }

    private static String abbreviated(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    private Object call(HttpServletRequest http, SpecificRecord command) {
        var reply = gateway.call(RequestIds.of(http), http.getRemoteAddr(), command);
        http.setAttribute(WorkerHeader.ATTRIBUTE, reply.getWorkerId());
        http.setAttribute(WorkerHeader.TIME_ATTRIBUTE, reply.getProcessingTimeMs());
        return reply.getResult();
    }
}

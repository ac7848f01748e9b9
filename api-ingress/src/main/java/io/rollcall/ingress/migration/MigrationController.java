package io.rollcall.ingress.migration;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.bulk.BulkJobs;
import io.rollcall.ingress.bulk.JobState;
import io.rollcall.ingress.http.Fields;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.http.SchoolTime;
import io.rollcall.person.PersonType;
import io.rollcall.schemas.MigrationJob;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The migration from the old system as jobs of a running service: {@code POST /api/admin/migration} validates the
 * selection and queues it for one worker (202, the job id is the batch id); {@code GET /api/admin/migration/{id}}
 * follows it to its report; {@code GET .../{id}/missing.csv} lists the people it left without a usable photo;
 * {@code POST .../{batch_id}/rollback} queues the deletion of exactly the rows that batch created. Whether a batch
 * exists is the worker's to say (the ingress has no database): an unknown batch ends its rollback job as
 * {@code aborted} with {@code NOT_FOUND}.
 */
@RestController
public final class MigrationController {
    static final String PATH = "/api/admin/migration";
    /** Codes per run, as the worker's {@code MigrationOptions.MAX_CODES}. */
    static final int MAX_CODES = 50_000;
    /** {@code Campus nvarchar(50)}, {@code Form nvarchar(100)}. */
    private static final int MAX_CAMPUS = 50;
    private static final int MAX_FORM = 100;
    /** Batch ids are UUIDs (36 characters, {@code RollcallMigrationBatches.BatchId}). */
    private static final Pattern BATCH_ID = Pattern.compile("[0-9A-Za-z-]{1,36}");
    private static final Logger log = LoggerFactory.getLogger(MigrationController.class);

    private final BulkJobs jobs;
    private final SchoolTime time;

    public MigrationController(BulkJobs jobs, IngressSettings settings) {
        this.jobs = jobs;
        this.time = settings.schoolTime();
    }

    @PostMapping(PATH)
    public ResponseEntity<MigrationResponses.Accepted> migrate(
            @RequestBody(required = false) MigrationResponses.MigrateBody body, HttpServletRequest http) {
        MigrationResponses.MigrateBody b = body != null ? body : new MigrationResponses.MigrateBody(null, null, null, null, null, null);
        PersonType type = Fields.personTypeFilter("person_type", b.personType());
        String campus = Fields.optionalText("campus", b.campus(), MAX_CAMPUS);
        String form = Fields.optionalText("form", b.form(), MAX_FORM);
        List<String> codes = codes(b.codes());
        if (b.limit() != null && b.limit() < 1) {
            throw Fields.invalid("limit", "limit must be at least 1, got " + b.limit());
        }
        boolean dryRun = Boolean.TRUE.equals(b.dryRun());
        String jobId = UUID.randomUUID().toString();
        jobs.submit(MigrationJob.newBuilder()
                .setJobId(jobId)
                .setSubmittedAt(Instant.now())
                .setClient(http.getRemoteAddr())
                .setPersonType(type == null ? null : io.rollcall.schemas.PersonType.valueOf(type.name()))
                .setCampus(campus)
                .setForm(form)
                .setCodes(codes)
                .setLimit(b.limit())
                .setDryRun(dryRun)
                .build());
        log.info("Migration {} queued{}", jobId, dryRun ? " (dry run)" : "");
        return accepted(jobId, jobId, dryRun ? "Migration dry run queued: nothing will be written" : "Migration queued");
    }

    @GetMapping(PATH + "/{jobId}")
    public MigrationResponses.Status status(@PathVariable("jobId") String jobId) {
        return MigrationResponses.Status.of(find(jobId), statusUrl(jobId) + "/missing.csv", time);
    }

    /** The report's people without a usable photo; 404 while the job has no report (queued, running, aborted). */
    @GetMapping(path = PATH + "/{jobId}/missing.csv", produces = "text/csv")
    public ResponseEntity<String> missing(@PathVariable("jobId") String jobId) {
        JobState job = find(jobId);
        JsonNode report = MigrationResponses.reportOf(job);
        if (report == null || !report.has("missing")) {
            throw new RollcallException(ErrorCode.NOT_FOUND, "Migration job " + shown(jobId) + " has no report yet (it is "
                    + job.status() + "); the list is ready once it has completed", Map.of("job_id", shown(jobId), "status", job.status()));
        }
        StringBuilder csv = new StringBuilder();
        try {
            MissingPeopleCsv.write(report, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return ResponseEntity.ok()
                .header("Content-Type", "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"missing-" + jobId + ".csv\"")
                .body(csv.toString());
    }

    @PostMapping(PATH + "/{batchId}/rollback")
    public ResponseEntity<MigrationResponses.Accepted> rollback(@PathVariable("batchId") String batchId, HttpServletRequest http) {
        if (!BATCH_ID.matcher(batchId).matches()) {
            throw Fields.invalid("batch_id", "batch_id must be a migration's batch id (its job id, a UUID)");
        }
        String jobId = UUID.randomUUID().toString();
        jobs.submit(MigrationJob.newBuilder()
                .setJobId(jobId)
                .setSubmittedAt(Instant.now())
                .setClient(http.getRemoteAddr())
                .setRollbackBatchId(batchId)
                .build());
        log.info("Rollback {} of migration batch {} queued", jobId, batchId);
        return accepted(jobId, batchId, "Rollback of migration batch " + batchId + " queued");
    }

    private static List<String> codes(List<String> codes) {
        if (codes == null) {
            return List.of();
        }
        if (codes.size() > MAX_CODES) {
            throw Fields.invalid("codes", "codes: at most " + MAX_CODES + " codes per run, got " + codes.size());
        }
        Set<String> clean = new LinkedHashSet<>();
        for (String code : codes) {
            clean.add(Fields.personCode("codes", code));
        }
        return new ArrayList<>(clean);
    }

    private JobState find(String jobId) {
        return jobs.find(jobId).orElseThrow(() -> new RollcallException(ErrorCode.NOT_FOUND, "No migration job "
                + shown(jobId) + " (unknown, or no longer among the jobs this service remembers)",
                Map.of("job_id", shown(jobId))));
    }

    private static ResponseEntity<MigrationResponses.Accepted> accepted(String jobId, String batchId, String what) {
        String statusUrl = statusUrl(jobId);
        return ResponseEntity.accepted().location(URI.create(statusUrl)).body(new MigrationResponses.Accepted(true,
                what + "; follow it at " + statusUrl, jobId, batchId, statusUrl));
    }

    private static String statusUrl(String jobId) {
        return PATH + "/" + jobId;
    }

    private static String shown(String jobId) {
        return jobId.length() <= 64 ? jobId : jobId.substring(0, 64) + "…";
    }
}

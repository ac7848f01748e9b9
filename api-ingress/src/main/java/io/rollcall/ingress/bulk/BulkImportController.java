package io.rollcall.ingress.bulk;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.http.Fields;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.http.SchoolTime;
import io.rollcall.schemas.BulkEnrollItem;
import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.PersonType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * CSV bulk import: {@code POST /api/face/bulk-import} validates every row up front (any invalid row: 400 listing
 * the bad lines, nothing queued) and queues the rows as one job for a worker, answering 202 with the job's id;
 * {@code GET /api/face/bulk-import/{job_id}} reports its progress. The CSV comes as the body ({@code text/csv}), as a
 * form upload (field {@code file}) or inside JSON ({@code {csv, source_name, allow_duplicate}}); photos are named by
 * their path in the workers' import folder, never sent.
 */
@RestController
public final class BulkImportController {
    static final String PATH = "/api/face/bulk-import";
    private static final Logger log = LoggerFactory.getLogger(BulkImportController.class);

    private final BulkJobs jobs;
    private final SchoolTime time;

    public BulkImportController(BulkJobs jobs, IngressSettings settings) {
        this.jobs = jobs;
        this.time = settings.schoolTime();
    }

    @PostMapping(path = PATH, consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The CSV: header person_type,person_code,person_name,image_path",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    public ResponseEntity<BulkResponses.Accepted> importCsv(
            @RequestParam(name = "source_name", required = false) String sourceName,
            @RequestParam(name = "allow_duplicate", required = false) Boolean allowDuplicate,
            HttpServletRequest http) throws IOException {
        String source = Fields.optionalText("source_name", sourceName, Fields.MAX_FILE_NAME);
        byte[] csv = body(http);
        Charset charset = charset(http.getContentType());
        List<ImportCsv.Row> rows = charset.equals(StandardCharsets.UTF_8)
                ? ImportCsv.parse(csv)
                : ImportCsv.parse(new String(csv, charset));
        return submit(rows, source, allowDuplicate, http);
    }

    @PostMapping(path = PATH, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<BulkResponses.Accepted> importUpload(
            @RequestParam(name = "file", required = false) MultipartFile file,
            @RequestParam(name = "source_name", required = false) String sourceName,
            @RequestParam(name = "allow_duplicate", required = false) Boolean allowDuplicate,
            HttpServletRequest http) throws IOException {
        if (file == null || file.isEmpty()) {
            throw Fields.invalid("file", "file is required: upload the CSV in a form field named 'file'");
        }
        if (file.getSize() > ImportCsv.MAX_BYTES) {
            throw ImportCsv.tooLarge(file.getSize());
        }
        String source = Fields.optionalText("source_name", sourceName != null ? sourceName : file.getOriginalFilename(),
                Fields.MAX_FILE_NAME);
        return submit(ImportCsv.parse(file.getBytes()), source, allowDuplicate, http);
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<BulkResponses.Accepted> importJson(@RequestBody BulkResponses.ImportBody body, HttpServletRequest http) {
        if (body.csv() == null || body.csv().isBlank()) {
            throw Fields.invalid("csv", "csv is required: the CSV text, header first");
        }
        String source = Fields.optionalText("source_name", body.sourceName(), Fields.MAX_FILE_NAME);
        return submit(ImportCsv.parse(body.csv()), source, body.allowDuplicate(), http);
    }

    @GetMapping(PATH + "/{jobId}")
    public BulkResponses.Status status(@PathVariable("jobId") String jobId) {
        return jobs.find(jobId).map(s -> BulkResponses.Status.of(s, time)).orElseThrow(() -> new RollcallException(ErrorCode.NOT_FOUND,
                "No bulk import job " + (jobId.length() <= 64 ? jobId : jobId.substring(0, 64) + "…")
                        + " (unknown, or older than the most recent " + JobBoard.MAX_JOBS + " jobs)",
                Map.of("job_id", jobId.length() <= 64 ? jobId : jobId.substring(0, 64))));
    }

    private ResponseEntity<BulkResponses.Accepted> submit(List<ImportCsv.Row> rows, String source, Boolean allowDuplicate,
                                                          HttpServletRequest http) {
        String jobId = UUID.randomUUID().toString();
        List<BulkEnrollItem> items = rows.stream().map(row -> BulkEnrollItem.newBuilder()
                .setPersonType(PersonType.valueOf(row.person().type().name()))
                .setPersonCode(row.person().code())
                .setPersonName(row.personName())
                .setImagePath(row.imagePath().value())
                .setSourceLine(row.line())
                .build()).toList();
        jobs.submit(BulkEnrollJob.newBuilder()
                .setJobId(jobId)
                .setSubmittedAt(Instant.now())
                .setClient(http.getRemoteAddr())
                .setSourceName(source)
                .setAllowDuplicate(Boolean.TRUE.equals(allowDuplicate))
                .setItems(items)
                .build());
        log.info("Bulk import {} queued: {} rows from {}", jobId, items.size(), source == null ? "an unnamed CSV" : source);
        String statusUrl = PATH + "/" + jobId;
        return ResponseEntity.accepted().location(URI.create(statusUrl)).body(new BulkResponses.Accepted(true,
                "Bulk import queued: " + items.size() + " photos; follow its progress at " + statusUrl, jobId, items.size(), statusUrl));
    }

    /** The request body, refused past {@link ImportCsv#MAX_BYTES} before more than that is read. */
    private static byte[] body(HttpServletRequest http) throws IOException {
        long declared = http.getContentLengthLong();
        if (declared > ImportCsv.MAX_BYTES) {
            throw ImportCsv.tooLarge(declared);
        }
        try (InputStream in = http.getInputStream()) {
            byte[] bytes = in.readNBytes(ImportCsv.MAX_BYTES + 1);
            if (bytes.length > ImportCsv.MAX_BYTES) {
                throw ImportCsv.tooLarge(bytes.length);
            }
            return bytes;
        }
    }

    /**
     * UTF-8 unless the Content-Type declares another charset, as a spreadsheet's export may. Read from the header
     * itself: the request's character encoding is forced to UTF-8 by Spring Boot's encoding filter.
     */
    private static Charset charset(String contentType) {
        try {
            Charset declared = contentType == null ? null : MediaType.parseMediaType(contentType).getCharset();
            return declared == null ? StandardCharsets.UTF_8 : declared;
        } catch (InvalidMediaTypeException | IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw Fields.invalid("Content-Type", "the charset of " + contentType + " is not supported; send the CSV as UTF-8");
        }
    }
}

package io.rollcall.ingress.face;

import io.rollcall.ingress.http.Fields;
import io.rollcall.ingress.http.ImageText;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.gateway.FaceGateway;
import io.rollcall.ingress.http.RequestIds;
import io.rollcall.ingress.http.SchoolTime;
import io.rollcall.ingress.http.WorkerHeader;
import io.rollcall.ingress.face.FaceResponses.Batch;
import io.rollcall.ingress.face.FaceResponses.BatchItem;
import io.rollcall.ingress.face.FaceResponses.Deleted;
import io.rollcall.ingress.face.FaceResponses.Enrolled;
import io.rollcall.ingress.face.FaceResponses.FaceItem;
import io.rollcall.ingress.face.FaceResponses.Group;
import io.rollcall.ingress.face.FaceResponses.GroupFaceBody;
import io.rollcall.ingress.face.FaceResponses.Listed;
import io.rollcall.ingress.face.FaceResponses.MatchBody;
import io.rollcall.ingress.face.FaceResponses.Quality;
import io.rollcall.ingress.face.FaceResponses.QualityChecked;
import io.rollcall.ingress.face.FaceResponses.Recognized;
import io.rollcall.ingress.face.FaceResponses.Summary;
import io.rollcall.ingress.face.FaceResponses.Verified;
import io.rollcall.person.PersonRef;
import io.rollcall.schemas.DeleteByIdCommand;
import io.rollcall.schemas.DeleteCommand;
import io.rollcall.schemas.DeletePersonOfSampleCommand;
import io.rollcall.schemas.DeleteResult;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.EnrollResult;
import io.rollcall.schemas.GroupResult;
import io.rollcall.schemas.ListCommand;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.PersonType;
import io.rollcall.schemas.QualityCheckCommand;
import io.rollcall.schemas.QualityResult;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.schemas.RecognizeGroupCommand;
import io.rollcall.schemas.RecognizeResult;
import io.rollcall.schemas.SamplePhotoCommand;
import io.rollcall.schemas.SamplePhotoResult;
import io.rollcall.schemas.VerifyCommand;
import io.rollcall.schemas.VerifyResult;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The face API of the requirements, plus the Node.js server's historical paths as aliases. Each endpoint validates
 * its input, hands one command to the workers through the {@link FaceGateway}, and shapes the reply.
 */
@RestController
public final class FaceController {
    /** Batch items in flight at once: enough to keep several workers busy without flooding the request topic. */
    private static final int BATCH_PARALLELISM = 4;
    private static final int MAX_PAGE_SIZE = 1000;
    private static final Pattern MEDIA_TYPE = Pattern.compile("image/[a-z0-9.+-]{1,50}");
    private static final Logger log = LoggerFactory.getLogger(FaceController.class);

    private final FaceGateway gateway;
    private final IngressSettings settings;
    private final SchoolTime time;

    public FaceController(FaceGateway gateway, IngressSettings settings) {
        this.gateway = gateway;
        this.settings = settings;
        this.time = settings.schoolTime();
    }

    @PostMapping(path = {"/api/face/enroll", "/api/face/register"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    public Enrolled enroll(@RequestBody FaceRequests.Enroll body, HttpServletRequest http) {
        return enrolled(call(http, enrollCommand(body, false)));
    }

    @PostMapping(path = {"/api/face/enroll", "/api/face/register"}, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public Enrolled enrollUpload(@RequestParam(name = "person_type", required = false) String personType,
                                 @RequestParam(name = "person_code", required = false) String personCode,
                                 @RequestParam(name = "person_name", required = false) String personName,
                                 @RequestParam(name = "allow_duplicate", required = false) Boolean allowDuplicate,
                                 @RequestParam(name = "allow_mismatch", required = false) Boolean allowMismatch,
                                 @RequestParam(name = "file", required = false) MultipartFile file,
                                 @RequestParam(name = "image", required = false) MultipartFile image,
                                 HttpServletRequest http) throws IOException {
        MultipartFile upload = file != null ? file : image;
        if (upload == null || upload.isEmpty()) {
            throw Fields.invalid("file", "file is required: upload the photo in a form field named 'file'");
        }
        io.rollcall.imaging.Base64Image.checkSize(upload.getSize(), settings.maxImageBytes());
        PersonRef person = Fields.person(personType, personCode);
        EnrollCommand command = EnrollCommand.newBuilder()
                .setPersonType(PersonType.valueOf(person.type().name()))
                .setPersonCode(person.code())
                .setPersonName(Fields.personName(personName))
                .setImage(ByteBuffer.wrap(upload.getBytes()))
                .setOriginalName(Fields.optionalText("original_name", upload.getOriginalFilename(), Fields.MAX_FILE_NAME))
                .setContentType(imageMediaType(upload.getContentType()))
                .setAllowDuplicate(Boolean.TRUE.equals(allowDuplicate))
                .setAllowMismatch(Boolean.TRUE.equals(allowMismatch))
                .build();
        return enrolled(call(http, command));
    }

    @PostMapping("/api/face/recognize")
    public Recognized recognize(@RequestBody FaceRequests.Recognize body, HttpServletRequest http) {
        long start = System.nanoTime();
        Probe p = probe(body);
        RecognizeCommand command = RecognizeCommand.newBuilder().setImage(p.image()).setPersonType(p.type())
                .setSimilarityThreshold(p.threshold()).setSourceImageName(p.source()).setSessionId(p.session()).build();
        RecognizeResult r = (RecognizeResult) call(http, command);
        return new Recognized(true, MatchBody.of(r.getMatch()), elapsed(start), FaceResponses.Attendance.of(r.getAttendance(), time));
    }

    @PostMapping("/api/face/verify")
    public Verified verify(@RequestBody FaceRequests.Verify body, HttpServletRequest http) {
        long start = System.nanoTime();
        VerifyCommand command = VerifyCommand.newBuilder()
                .setImageA(image("image1_base64", body.image1Base64()))
                .setImageB(image("image2_base64", body.image2Base64()))
                .setSimilarityThreshold(Fields.threshold(body.similarityThreshold(), settings.minSimilarityThreshold()))
                .build();
        VerifyResult r = (VerifyResult) call(http, command);
        return new Verified(true, r.getSamePerson(), r.getSimilarity(), r.getConfidence(), r.getThreshold(), elapsed(start));
    }

    @PostMapping("/api/face/recognize-group")
    public Group recognizeGroup(@RequestBody FaceRequests.Recognize body, HttpServletRequest http) {
        long start = System.nanoTime();
        Probe p = probe(body);
        RecognizeGroupCommand command = RecognizeGroupCommand.newBuilder().setImage(p.image()).setPersonType(p.type())
                .setSimilarityThreshold(p.threshold()).setSourceImageName(p.source()).setSessionId(p.session()).build();
        GroupResult r = (GroupResult) call(http, command);
        List<GroupFaceBody> faces = r.getFaces().stream().map(f -> GroupFaceBody.of(f, time)).toList();
        int recognized = (int) faces.stream().filter(f -> f.match() != null).count();
        return new Group(true, faces, faces.size(), recognized, elapsed(start));
    }

    /** One entry per person with their sample count, or with {@code per_sample=true} one per face sample. */
    @GetMapping(path = {"/api/face/list/{personType}", "/api/face-descriptors/{personType}"})
    public Listed list(@PathVariable("personType") String personType, @RequestParam(name = "page", required = false) Integer page,
                       @RequestParam(name = "page_size", required = false) Integer pageSize,
                       @RequestParam(name = "per_sample", required = false) Boolean perSample, HttpServletRequest http) {
        if ((page == null) != (pageSize == null)) {
            throw Fields.invalid(page == null ? "page" : "page_size", "page and page_size go together");
        }
        if (page != null && page < 1) {
            throw Fields.invalid("page", "page must be at least 1, got " + page);
        }
        if (pageSize != null && (pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {
            throw Fields.invalid("page_size", "page_size must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize);
        }
        ListCommand command = ListCommand.newBuilder()
                .setPersonType(avroType(Fields.personTypeFilter("person_type", personType)))
                .setPage(page).setPageSize(pageSize).setPerSample(Boolean.TRUE.equals(perSample)).build();
        ListResult r = (ListResult) call(http, command);
        List<FaceItem> faces = r.getFaces().stream().map(f -> FaceItem.of(f, time)).toList();
        return new Listed(true, faces, r.getTotalCount(), page, pageSize);
    }

    @DeleteMapping("/api/face/delete")
    public Deleted delete(@RequestBody FaceRequests.Delete body, HttpServletRequest http) {
        PersonRef person = Fields.person(body.personType(), body.personCode());
        DeleteCommand command = DeleteCommand.newBuilder()
                .setPersonType(PersonType.valueOf(person.type().name())).setPersonCode(person.code()).build();
        DeleteResult r = (DeleteResult) call(http, command);
        return new Deleted(true, "Face enrollment deleted successfully", r.getDeletedSamples());
    }

    /**
     * The Node.js server's admin path: deletes the person the FaceData row {@code id} belongs to, every sample of
     * them, exactly as {@link #delete} does (the list gives a person's oldest sample's id).
     */
    @DeleteMapping("/api/admin/face/{id}")
    public Deleted deletePersonOfSample(@PathVariable("id") String id, HttpServletRequest http) {
        DeleteResult r = (DeleteResult) call(http, DeletePersonOfSampleCommand.newBuilder().setFaceDataId(faceDataId(id)).build());
        return new Deleted(true, "Face enrollment deleted successfully", r.getDeletedSamples());
    }

    /** Deletes one face sample, the FaceData row {@code id}; the person keeps the others. */
    @DeleteMapping("/api/face/sample/{id}")
    public Deleted deleteSample(@PathVariable("id") String id, HttpServletRequest http) {
        DeleteResult r = (DeleteResult) call(http, DeleteByIdCommand.newBuilder().setFaceDataId(faceDataId(id)).build());
        return new Deleted(true, "Face sample deleted successfully", r.getDeletedSamples());
    }

    /**
     * The photo one sample keeps, for the admin page's thumbnails: an admin call (under {@code /api/admin/}), as
     * pupils' photos are the most sensitive thing Rollcall holds. Served with the type its bytes show, never stored
     * by a browser or a proxy ({@code no-store}), never sniffed as anything else, and inert if opened on its own
     * (a sandboxing policy). {@code PERSON_NOT_FOUND} for an unknown id, {@code NOT_FOUND} for a sample without a photo.
     */
    @GetMapping("/api/admin/face/sample/{id}/image")
    public ResponseEntity<byte[]> samplePhoto(@PathVariable("id") String id, HttpServletRequest http) {
        SamplePhotoResult r = (SamplePhotoResult) call(http, SamplePhotoCommand.newBuilder().setFaceDataId(faceDataId(id)).build());
        ByteBuffer image = r.getImage();
        byte[] bytes = new byte[image.remaining()];
        image.get(bytes);
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header("Pragma", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .contentType(MediaType.parseMediaType(r.getMediaType()))
                .body(bytes);
    }

    private static long faceDataId(String id) {
        long faceDataId;
        try {
            faceDataId = Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw Fields.invalid("id", "id must be a FaceData id (a positive integer), got '" + id + "'");
        }
        if (faceDataId <= 0) {
            throw Fields.invalid("id", "id must be positive");
        }
        return faceDataId;
    }

    @PostMapping("/api/face/batch-enroll")
    public Batch batchEnroll(@RequestBody FaceRequests.BatchEnroll body, HttpServletRequest http) throws InterruptedException {
        List<FaceRequests.Enroll> items = body.enrollments();
        if (items == null || items.isEmpty()) {
            throw Fields.invalid("enrollments", "enrollments must be a non-empty list");
        }
        if (items.size() > settings.maxBatchItems()) {
            throw Fields.invalid("enrollments", "at most " + settings.maxBatchItems() + " enrollments per batch, got " + items.size());
        }
        boolean allowDuplicate = Boolean.TRUE.equals(body.allowDuplicate());
        String requestId = RequestIds.of(http);
        String client = http.getRemoteAddr();
        Semaphore inFlight = new Semaphore(BATCH_PARALLELISM);
        List<Future<BatchItem>> futures = new ArrayList<>();
        // One command per item: each is validated and enrolled on its own, so one bad item never fails the others.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < items.size(); i++) {
                FaceRequests.Enroll item = items.get(i);
                String itemId = requestId + "-" + (i + 1);
                inFlight.acquire();
                futures.add(pool.submit(() -> {
                    try {
                        if (item == null) {
                            throw Fields.invalid("enrollments", "an enrollment must be a JSON object, not null");
                        }
                        EnrollResult r = (EnrollResult) gateway.call(itemId, client, enrollCommand(item, allowDuplicate)).getResult();
                        return new BatchItem(r.getPersonCode(), true, "Enrolled", r.getEmbeddingId(), null);
                    } catch (RollcallException e) {
                        return new BatchItem(item == null ? null : item.personCode(), false, e.getMessage(), null, e.code().name());
                    } catch (RuntimeException e) {
                        // As for a whole request: logged here, reported without internals, and the other items stand.
                        log.error("Batch item {} failed unexpectedly", itemId, e);
                        return new BatchItem(item == null ? null : item.personCode(), false, "Internal error", null,
                                ErrorCode.INTERNAL_ERROR.name());
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        List<BatchItem> results = new ArrayList<>();
        for (Future<BatchItem> f : futures) {
            results.add(f.resultNow());
        }
        int ok = (int) results.stream().filter(BatchItem::success).count();
        return new Batch(true, results, new Summary(results.size(), ok, results.size() - ok));
    }

    @PostMapping("/api/face/quality-check")
    public QualityChecked qualityCheck(@RequestBody FaceRequests.QualityCheck body, HttpServletRequest http) {
        QualityResult q = (QualityResult) call(http, QualityCheckCommand.newBuilder().setImage(image("image_base64", body.imageBase64())).build());
        return new QualityChecked(true, Quality.of(q));
    }

    /** A recognition request's fields, validated once for both recognize and recognize-group. */
    private record Probe(ByteBuffer image, PersonType type, Double threshold, String source, Integer session) {
    }

    private Probe probe(FaceRequests.Recognize body) {
        return new Probe(image("image_base64", body.imageBase64()),
                avroType(Fields.personTypeFilter("person_type", body.personType())),
                Fields.threshold(body.similarityThreshold(), settings.minSimilarityThreshold()),
                Fields.optionalText("source_image_name", body.sourceImageName(), Fields.MAX_FILE_NAME),
                Fields.sessionId(body.sessionId()));
    }

    private EnrollCommand enrollCommand(FaceRequests.Enroll body, boolean batchAllowsDuplicate) {
        PersonRef person = Fields.person(body.personType(), body.personCode());
        String name = Fields.personName(body.personName());
        ByteBuffer image = image("image_base64", body.imageBase64());
        return EnrollCommand.newBuilder()
                .setPersonType(PersonType.valueOf(person.type().name()))
                .setPersonCode(person.code())
                .setPersonName(name)
                .setImage(image)
                .setOriginalName(Fields.optionalText("original_name", body.originalName(), Fields.MAX_FILE_NAME))
                .setContentType(contentType(body.imageBase64()))
                .setAllowDuplicate(batchAllowsDuplicate || Boolean.TRUE.equals(body.allowDuplicate()))
                .setAllowMismatch(Boolean.TRUE.equals(body.allowMismatch()))
                .build();
    }

    private Enrolled enrolled(Object result) {
        EnrollResult r = (EnrollResult) result;
        if (r.getPreviousName() != null) {
            return new Enrolled(true, "Face enrolled successfully; person renamed from '" + r.getPreviousName() + "'",
                    r.getPersonCode(), r.getEmbeddingId(), r.getSamples(), r.getPersonName(), r.getPreviousName());
        }
        return new Enrolled(true, "Face enrolled successfully", r.getPersonCode(), r.getEmbeddingId(), r.getSamples(), null, null);
    }

    private Object call(HttpServletRequest http, SpecificRecord command) {
        var reply = gateway.call(RequestIds.of(http), http.getRemoteAddr(), command);
        http.setAttribute(WorkerHeader.ATTRIBUTE, reply.getWorkerId());
        http.setAttribute(WorkerHeader.TIME_ATTRIBUTE, reply.getProcessingTimeMs());
        return reply.getResult();
    }

    private ByteBuffer image(String field, ImageText base64) {
        return Fields.image(field, base64, settings.maxImageBytes());
    }

    /**
     * The media type of a {@code data:image/...;base64,} prefix, stored in FaceData.ContentType. Leading whitespace
     * is skipped as {@link io.rollcall.imaging.Base64Image} skips it.
     */
    private static String contentType(ImageText base64) {
        // A photo decoded while parsing was plain base64: it had no data URL header.
        String text = base64 == null || base64.text() == null ? "" : base64.text().stripLeading();
        if (text.regionMatches(true, 0, "data:", 0, 5)) {
            int end = text.indexOf(';');
            if (end > 5 && end < 60) {
                return imageMediaType(text.substring(5, end));
            }
        }
        return null;
    }

    /**
     * An image media type as stored in FaceData.ContentType, or {@code null} for anything else (a form upload's
     * {@code application/octet-stream}, a malformed type): the worker identifies the image from its bytes anyway.
     */
    private static String imageMediaType(String declared) {
        if (declared == null) {
            return null;
        }
        int parameters = declared.indexOf(';');
        String type = (parameters < 0 ? declared : declared.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(type).matches() ? type : null;
    }

    private static PersonType avroType(io.rollcall.person.PersonType type) {
        return type == null ? null : PersonType.valueOf(type.name());
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

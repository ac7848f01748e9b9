package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.StringUtils;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;

/**
 * The one place that turns failures into HTTP responses: a {@link RollcallException} keeps its code and status;
 * client mistakes the framework detects (malformed JSON, wrong types, wrong method, unknown route, oversized
 * upload, an Accept header that rules out JSON) become the matching 4xx code; anything else is a 500 whose details
 * never leak internals. Every answer is JSON whatever the client's Accept header says, so an error never turns into
 * a 406 or the servlet container's HTML page.
 */
@RestControllerAdvice
public final class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(RollcallException.class)
    ResponseEntity<ApiError> rollcall(RollcallException e, HttpServletRequest request) {
        if (e.code().httpStatus() >= 500) {
            log.warn("{} {} failed: {} {}", request.getMethod(), request.getRequestURI(), e.code(), e.getMessage());
        }
        return respond(ApiError.of(e, RequestIds.of(request)), e.code());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        if (BodyLimit.exceeded(request)) {
            return tooLarge(request);
        }
        String field = "body";
        String message = "Request body is not valid JSON";
        if (e.getCause() instanceof JacksonException json && isFieldValue(json) && !json.getPath().isEmpty()) {
            field = json.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            message = "Field '" + field + "' has the wrong type or format";
        } else if (e.getCause() instanceof DatabindException) {
            // Valid JSON of the wrong shape; Jackson's message would name the Java class it was bound to.
            message = "Request body must be a JSON object with the documented fields";
        } else if (e.getCause() instanceof JacksonException parse) {
            message = "Request body is not valid JSON: " + firstLine(parse.getOriginalMessage());
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            message = "Request body is missing";
        }
        return respond(ApiError.of(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field), RequestIds.of(request)),
                ErrorCode.VALIDATION_ERROR);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            MissingServletRequestPartException.class, MultipartException.class})
    ResponseEntity<ApiError> badParameter(Exception e, HttpServletRequest request) {
        if (e instanceof MaxUploadSizeExceededException) {
            // Every upload is a photo, except the bulk import's CSV.
            ErrorCode code = ApiPaths.of(request).startsWith("/api/face/bulk-import") ? ErrorCode.REQUEST_TOO_LARGE : ErrorCode.IMAGE_TOO_LARGE;
            return respond(ApiError.of(code, "Uploaded file is too large", Map.of(), RequestIds.of(request)), code);
        }
        String field = switch (e) {
            case MethodArgumentTypeMismatchException m -> m.getName();
            case MissingServletRequestParameterException m -> m.getParameterName();
            case MissingServletRequestPartException m -> m.getRequestPartName();
            default -> "body";
        };
        return respond(ApiError.of(ErrorCode.VALIDATION_ERROR, "Parameter '" + field + "' is missing or invalid",
                Map.of("field", field), RequestIds.of(request)), ErrorCode.VALIDATION_ERROR);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        // The header as sent: the request's own content type has the charset Spring Boot's encoding filter forced.
        Object type = request.getHeader("Content-Type") != null ? request.getHeader("Content-Type") : e.getContentType();
        return respond(ApiError.of(ErrorCode.VALIDATION_ERROR,
                "Content-Type " + type + " is not supported here; send application/json (or multipart/form-data or text/csv where documented)",
                Map.of("field", "Content-Type"), RequestIds.of(request)), ErrorCode.VALIDATION_ERROR);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return respond(ApiError.of(ErrorCode.VALIDATION_ERROR,
                "This API answers in application/json; send Accept: application/json (or */*)",
                Map.of("field", "Accept"), RequestIds.of(request)), ErrorCode.VALIDATION_ERROR);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        String allowed = e.getSupportedMethods() == null ? "" : String.join(", ", e.getSupportedMethods());
        ApiError body = ApiError.of(ErrorCode.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here",
                Map.of("allowed", allowed), RequestIds.of(request));
        HttpHeaders headers = new HttpHeaders();
        if (StringUtils.hasText(allowed)) {
            headers.set(HttpHeaders.ALLOW, allowed);
        }
        return ResponseEntity.status(ErrorCode.METHOD_NOT_ALLOWED.httpStatus()).headers(headers)
                .contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> notFound(NoResourceFoundException e, HttpServletRequest request) {
        return respond(ApiError.of(ErrorCode.NOT_FOUND, "No endpoint at " + request.getRequestURI(), Map.of(),
                RequestIds.of(request)), ErrorCode.NOT_FOUND);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        if (BodyLimit.exceeded(request)) {
            return tooLarge(request);
        }
        if (e instanceof ErrorResponse framework && framework.getStatusCode().is4xxClientError()) {
            // Another client mistake Spring MVC detects (a missing header, a failed binding...): its 4xx, as a code.
            ErrorCode code = ErrorResponses.forStatus(framework.getStatusCode().value());
            String detail = framework.getBody().getDetail();
            return respond(ApiError.of(code, detail == null ? "The request is not valid" : detail, Map.of(),
                    RequestIds.of(request)), code);
        }
        log.error("{} {} failed unexpectedly", request.getMethod(), request.getRequestURI(), e);
        return respond(ApiError.of(ErrorCode.INTERNAL_ERROR, "Internal error", Map.of(), RequestIds.of(request)),
                ErrorCode.INTERNAL_ERROR);
    }

    /** A value of the wrong type or out of range, as opposed to text that is not JSON at all. */
    private static boolean isFieldValue(JacksonException e) {
        return e instanceof DatabindException || e instanceof InputCoercionException;
    }

    private static ResponseEntity<ApiError> tooLarge(HttpServletRequest request) {
        long limit = request.getAttribute(BodyLimit.EXCEEDED) instanceof Long l ? l : -1;
        return respond(ApiError.of(ErrorCode.REQUEST_TOO_LARGE, "Request body is larger than the limit of " + limit + " bytes",
                Map.of("limit", limit), RequestIds.of(request)), ErrorCode.REQUEST_TOO_LARGE);
    }

    /** The envelope as JSON: a preset Content-Type makes Spring write it whatever the Accept header asked for. */
    private static ResponseEntity<ApiError> respond(ApiError body, ErrorCode code) {
        return ResponseEntity.status(code.httpStatus()).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

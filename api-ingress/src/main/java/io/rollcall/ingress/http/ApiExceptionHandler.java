package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
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
import tools.jackson.databind.DatabindException;

/**
 * The one place that turns failures into HTTP responses: a {@link RollcallException} keeps its code and status;
 * client mistakes the framework detects (malformed JSON, wrong types, wrong method, unknown route, oversized
 * upload) become the matching 4xx code; anything else is a 500 whose details never leak internals.
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
        String message = "Request body is not valid JSON";
        Map<String, Object> details = Map.of();
        if (e.getCause() instanceof DatabindException bind && !bind.getPath().isEmpty()) {
            String field = bind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            message = "Field '" + field + "' has the wrong type or format";
            details = Map.of("field", field);
        } else if (e.getCause() instanceof JacksonException) {
            message = "Request body is not valid JSON: " + firstLine(e.getCause().getMessage());
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            message = "Request body is missing";
        }
        return respond(ApiError.of(ErrorCode.VALIDATION_ERROR, message, details, RequestIds.of(request)), ErrorCode.VALIDATION_ERROR);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            MissingServletRequestPartException.class, MultipartException.class})
    ResponseEntity<ApiError> badParameter(Exception e, HttpServletRequest request) {
        String field = switch (e) {
            case MethodArgumentTypeMismatchException m -> m.getName();
            case MissingServletRequestParameterException m -> m.getParameterName();
            case MissingServletRequestPartException m -> m.getRequestPartName();
            default -> "body";
        };
        if (e instanceof MaxUploadSizeExceededException) {
            return respond(ApiError.of(ErrorCode.IMAGE_TOO_LARGE, "Uploaded file is too large", Map.of(), RequestIds.of(request)),
                    ErrorCode.IMAGE_TOO_LARGE);
        }
        return respond(ApiError.of(ErrorCode.VALIDATION_ERROR, "Parameter '" + field + "' is missing or invalid",
                Map.of("field", field), RequestIds.of(request)), ErrorCode.VALIDATION_ERROR);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(ApiError.of(ErrorCode.VALIDATION_ERROR,
                "Content-Type " + e.getContentType() + " is not supported; send application/json (or multipart/form-data where documented)",
                Map.of("field", "Content-Type"), RequestIds.of(request)), ErrorCode.VALIDATION_ERROR);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(ApiError.of(ErrorCode.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here",
                Map.of("allowed", e.getSupportedHttpMethods() == null ? "" : e.getSupportedHttpMethods().toString()),
                RequestIds.of(request)), ErrorCode.METHOD_NOT_ALLOWED);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> notFound(NoResourceFoundException e, HttpServletRequest request) {
        return respond(ApiError.of(ErrorCode.NOT_FOUND, "No endpoint at " + request.getRequestURI(), Map.of(),
                RequestIds.of(request)), ErrorCode.NOT_FOUND);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        log.error("{} {} failed unexpectedly", request.getMethod(), request.getRequestURI(), e);
        return respond(ApiError.of(ErrorCode.INTERNAL_ERROR, "Internal error", Map.of(), RequestIds.of(request)),
                ErrorCode.INTERNAL_ERROR);
    }

    private static ResponseEntity<ApiError> respond(ApiError body, ErrorCode code) {
        return ResponseEntity.status(code.httpStatus()).body(body);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

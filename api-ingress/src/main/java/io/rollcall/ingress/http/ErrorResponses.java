package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.rollcall.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** Writes the error envelope from servlet filters, which run before Spring MVC's exception handling. */
final class ErrorResponses {
    private ErrorResponses() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message,
                      Map<String, Object> details) throws IOException {
        response.setStatus(code.httpStatus());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        Json.MAPPER.writeValue(response.getOutputStream(), ApiError.of(code, message, details, RequestIds.of(request)));
    }

    /** The code for an HTTP status that the framework or the servlet container chose rather than this API. */
    static ErrorCode forStatus(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.REQUEST_TOO_LARGE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            case 504 -> ErrorCode.REQUEST_TIMEOUT;
            default -> status >= 400 && status < 500 ? ErrorCode.VALIDATION_ERROR : ErrorCode.INTERNAL_ERROR;
        };
    }
}

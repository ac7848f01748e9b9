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
}

package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code /error} page, where the servlet container sends the errors that never reached
 * {@link ApiExceptionHandler} (an exception thrown by a filter, a {@code sendError}): the same JSON envelope
 * instead of Boot's "Whitelabel" HTML page or its own JSON shape. Not an endpoint of the API, so left out of its
 * documentation.
 */
@Hidden
@RestController
public final class ErrorEndpoint implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ApiError> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ErrorCode code;
        String message;
        if (status instanceof Integer s) {
            code = ErrorResponses.forStatus(s);
            message = code == ErrorCode.NOT_FOUND ? "No endpoint at " + uri
                    : code == ErrorCode.INTERNAL_ERROR ? "Internal error" : "The request could not be served (HTTP " + s + ")";
        } else {
            code = ErrorCode.NOT_FOUND; // /error asked for directly
            message = "No endpoint at " + request.getRequestURI();
        }
        return ResponseEntity.status(code.httpStatus()).contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(code, message, Map.of(), RequestIds.of(request)));
    }
}

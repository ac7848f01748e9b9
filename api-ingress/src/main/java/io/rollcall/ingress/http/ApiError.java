package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.micrometer.core.instrument.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The requirements' error envelope: {@code {success:false, error_code, message, details{suggestion, …}, request_id}}.
 * Every failure the API returns has this shape, whatever produced it.
 */
public record ApiError(boolean success, String errorCode, String message, Map<String, Object> details, String requestId) {

    public static ApiError of(ErrorCode code, String message, Map<String, Object> details, String requestId) {
        // Every error response is built here, so this is the one place that counts them, by code.
        Metrics.counter("rollcall.http.errors", "code", code.name()).increment();
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("suggestion", code.suggestion());
        all.putAll(details);
        return new ApiError(false, code.name(), message, all, requestId);
    }

    public static ApiError of(RollcallException e, String requestId) {
        return of(e.code(), e.getMessage(), e.details(), requestId);
    }
}

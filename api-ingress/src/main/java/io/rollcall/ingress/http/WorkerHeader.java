package io.rollcall.ingress.http;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Names the worker that answered ({@code X-Rollcall-Worker}), so a response can be traced to its worker's logs, and
 * the worker's own processing time ({@code X-Rollcall-Worker-Ms}).
 */
@RestControllerAdvice
public final class WorkerHeader implements ResponseBodyAdvice<Object> {
    public static final String ATTRIBUTE = "rollcall.worker";
    public static final String HEADER = "X-Rollcall-Worker";
    public static final String TIME_ATTRIBUTE = "rollcall.workerMs";
    /** The worker's own time for the request: the rest of the response time is transport (HTTP, Kafka). */
    public static final String TIME_HEADER = "X-Rollcall-Worker-Ms";

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (request instanceof ServletServerHttpRequest servlet && servlet.getServletRequest().getAttribute(ATTRIBUTE) instanceof String worker) {
            response.getHeaders().set(HEADER, worker);
            if (servlet.getServletRequest().getAttribute(TIME_ATTRIBUTE) instanceof Integer ms) {
                response.getHeaders().set(TIME_HEADER, Integer.toString(ms));
            }
        }
        return body;
    }
}

package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.IngressSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than a full batch of images before reading them ({@code REQUEST_TOO_LARGE}, 413).
 * Bodies without a declared length are capped by the servlet container's own limits (see application settings).
 */
@Component
@Order(3)
public final class BodyLimit extends OncePerRequestFilter {
    private final long maxBytes;

    public BodyLimit(IngressSettings settings) {
        this.maxBytes = settings.maxRequestBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            ErrorResponses.write(request, response, ErrorCode.REQUEST_TOO_LARGE,
                    "Request body is " + length + " bytes; the limit is " + maxBytes, Map.of("bytes", length, "limit", maxBytes));
            return;
        }
        chain.doFilter(request, response);
    }
}

package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.http.IngressSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Optional API keys ({@code API_KEYS}): when any is configured, every {@code /api/} call except the health check
 * and the API documentation must carry one in {@code Authorization: Bearer <key>} or {@code X-API-Key}
 * ({@link KnownKeys}). CORS preflights, which browsers send without credentials, are
 * answered before this check.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public final class ApiKeys extends OncePerRequestFilter {
    private final KnownKeys keys;

    public ApiKeys(IngressSettings settings) {
        this.keys = new KnownKeys(settings.apiKeys());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = ApiPaths.of(request);
        return keys.isEmpty() || !path.startsWith("/api/") || ApiPaths.isHealth(path) || ApiPaths.isDocumentation(path)
                || "OPTIONS".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = KnownKeys.presented(request);
        if (keys.indexOf(presented).isPresent()) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer");
        ErrorResponses.write(request, response, ErrorCode.UNAUTHORIZED,
                presented == null ? "An API key is required" : "The API key is not valid", Map.of());
    }
}

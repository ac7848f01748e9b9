package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CORS ({@code CORS_ALLOWED_ORIGINS}, default none): which web pages may call the API from a browser. Without it a
 * page from anywhere on the school network, opened by anyone, could read the roster through a teacher's browser.
 *
 * <p>A servlet filter right after the request id rather than Spring MVC's CORS support, for every path alike:
 * <ul>
 *   <li>a preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) from an allowed
 *       origin is answered here, for any path, and one from any other origin is {@code FORBIDDEN}, for any path: a
 *       preflight never reaches the application, so it tells nobody which routes exist;</li>
 *   <li>any other request from a foreign origin that is not allowed is {@code FORBIDDEN} before it does anything;</li>
 *   <li>the answers later filters write themselves (401, 403, 413, 429, 503) carry the CORS headers, so a browser on
 *       an allowed origin can read them.</li>
 * </ul>
 * Requests without {@code Origin}, or from the API's own origin, are not CORS and pass untouched.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public final class CrossOrigin extends OncePerRequestFilter {
    private final CorsConfiguration cors = new CorsConfiguration();
    private final DefaultCorsProcessor processor = new EnvelopeRefusal();

    public CrossOrigin(IngressSettings settings) {
        cors.setAllowedOrigins(settings.corsOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("*"));
        cors.setExposedHeaders(List.of(RequestIds.HEADER, "Retry-After"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!CorsUtils.isCorsRequest(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (!processor.processRequest(cors, request, response)) {
            ErrorResponses.write(request, response, ErrorCode.FORBIDDEN, "Origin " + abbreviated(request.getHeader("Origin"))
                    + " may not make this request from a browser: the origin must be listed in CORS_ALLOWED_ORIGINS,"
                    + " and the method be GET, POST or DELETE", Map.of());
            return;
        }
        if (!CorsUtils.isPreFlightRequest(request)) {
            chain.doFilter(request, response);
        }
    }

    private static String abbreviated(String origin) {
        return origin.length() <= 100 ? origin : origin.substring(0, 100) + "…";
    }

    /** Spring's processing, with its plain-text refusal left to the envelope above. */
    private static final class EnvelopeRefusal extends DefaultCorsProcessor {
        @Override
        protected void rejectRequest(ServerHttpResponse response) {
        }
    }
}

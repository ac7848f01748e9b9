package io.rollcall.ingress.admin;

import io.rollcall.ingress.http.ApiPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The admin page's security headers. The page handles an admin key and pupils' photos, so its Content-Security-Policy
 * allows nothing but this origin: no inline script or style (an injected name can never run), no other host (the
 * school network may have no internet, and nothing is loaded from elsewhere), photos and the camera only from this
 * page's own blob URLs and data URLs, and no framing (clickjacking of the delete buttons).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public final class AdminPageHeaders extends OncePerRequestFilter {
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
            + " media-src 'self' blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ApiPaths.isAdminPage(ApiPaths.of(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        // The camera for this page only; no other powerful feature.
        response.setHeader("Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
        chain.doFilter(request, response);
    }
}

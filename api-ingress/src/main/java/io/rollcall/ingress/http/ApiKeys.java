package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The one check of who may call what. Every path but {@code /api/health} and the admin page's static files
 * ({@link ApiPaths#isAdminPage}) is checked, the API documentation and
 * {@code OPTIONS} included (CORS preflights, which browsers send without credentials, are answered or refused
 * before, by {@link CrossOrigin}).
 * <ul>
 *   <li><b>No keys configured</b> (neither {@code API_KEYS} nor {@code ADMIN_API_KEYS}): only callers on this machine
 *       (loopback) are served, unless {@code ALLOW_ANONYMOUS=true}; anyone else gets {@code UNAUTHORIZED} saying how
 *       to open the API. This is Redis's protected mode: an installation nobody configured must not hand the roster
 *       and the delete button to every machine on the school network. Behind a trusted proxy the original client is
 *       the caller, so a proxy on this machine does not make the whole network local.</li>
 *   <li><b>Keys configured</b>: a configured key in {@code Authorization: Bearer <key>} or {@code X-API-Key}
 *       ({@link KnownKeys}), else {@code UNAUTHORIZED}; and for an administrator's operation
 *       ({@link ApiPaths#isAdminOperation}) an admin key, else {@code FORBIDDEN}.</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public final class ApiKeys extends OncePerRequestFilter {
    private final KnownKeys keys;
    private final boolean allowAnonymous;
    private final TrustedProxies proxies;

    public ApiKeys(IngressSettings settings) {
        this.keys = new KnownKeys(settings.apiKeys(), settings.adminApiKeys());
        this.allowAnonymous = settings.allowAnonymous();
        this.proxies = settings.trustedProxies();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = ApiPaths.of(request);
        return ApiPaths.isHealth(path) || ApiPaths.isAdminPage(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (keys.isEmpty()) {
            if (allowAnonymous || ClientAddresses.originalClient(request, proxies).map(InetAddress::isLoopbackAddress).orElse(false)) {
                chain.doFilter(request, response);
                return;
            }
            unauthorized(request, response, "No API keys are configured, so only callers on the server itself are served."
                    + " Set API_KEYS (and ADMIN_API_KEYS for deleting, bulk imports and /api/admin/) and send a key, or set"
                    + " ALLOW_ANONYMOUS=true to let anyone who can reach this port call the API without one");
            return;
        }
        switch (keys.of(request)) {
            case KnownKeys.NoKey none -> unauthorized(request, response, "An API key is required");
            case KnownKeys.WrongKey wrong -> unauthorized(request, response, "The API key is not valid");
            case KnownKeys.Key key when !key.admin() && ApiPaths.isAdminOperation(request.getMethod(), ApiPaths.of(request)) ->
                    ErrorResponses.write(request, response, ErrorCode.FORBIDDEN,
                            "Deleting, submitting a bulk import and /api/admin/ need an admin key (ADMIN_API_KEYS);"
                                    + " this key is not one", Map.of());
            case KnownKeys.Key key -> chain.doFilter(request, response);
        }
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        ErrorResponses.write(request, response, ErrorCode.UNAUTHORIZED, message, Map.of());
    }
}

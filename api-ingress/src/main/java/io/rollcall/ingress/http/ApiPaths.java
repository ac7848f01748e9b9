package io.rollcall.ingress.http;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;

/**
 * The path a request is routed on, as Spring MVC's path patterns see it: percent-decoded, without {@code ;}
 * parameters. Filters decide their exemptions on this path rather than on the raw request URI, so no spelling of a
 * path ({@code /%61pi/...}) reaches an endpoint while skipping a filter meant for it.
 */
public final class ApiPaths {
    private ApiPaths() {
    }

    public static String of(HttpServletRequest request) {
        PathContainer path = RequestPath.parse(request.getRequestURI(), request.getContextPath()).pathWithinApplication();
        StringBuilder routed = new StringBuilder();
        for (PathContainer.Element element : path.elements()) {
            routed.append(element instanceof PathContainer.PathSegment segment ? segment.valueToMatch() : element.value());
        }
        return routed.toString();
    }

    static boolean isHealth(String path) {
        return path.equals("/api/health");
    }

    /**
     * The admin page's static files ({@code /admin}, {@code /admin/...}; not the API's {@code /api/admin/}). They hold
     * no data, so they are served without a key and not rate limited: the page asks for the key, and every call it
     * makes to the API is checked like any other.
     */
    public static boolean isAdminPage(String path) {
        return path.equals("/admin") || path.startsWith("/admin/");
    }

    /**
     * Whether a request is an administrator's ({@code ADMIN_API_KEYS} when keys are configured): every
     * {@code DELETE}, submitting a bulk import (reading a job's status is not), and anything under
     * {@code /api/admin/}, whatever is added there.
     *
     * @param path as {@link #of} gives it
     */
    static boolean isAdminOperation(String method, String path) {
        return "DELETE".equals(method)
                || path.equals("/api/admin") || path.startsWith("/api/admin/")
                || ("POST".equals(method) && path.equals("/api/face/bulk-import"));
    }
}

package io.rollcall.ingress.http;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;

/**
 * The path a request is routed on, as Spring MVC's path patterns see it: percent-decoded, without {@code ;}
 * parameters. Filters decide their exemptions on this path rather than on the raw request URI, so no spelling of a
 * path ({@code /%61pi/...}) reaches an endpoint while skipping a filter meant for it.
 */
final class ApiPaths {
    private ApiPaths() {
    }

    static String of(HttpServletRequest request) {
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

    /** Spring Boot's probes and metrics, for orchestrators and scrapers. */
    static boolean isActuator(String path) {
        return path.equals("/actuator") || path.startsWith("/actuator/");
    }

    /** The OpenAPI document and the browsable page with its assets: public, so a browser can open them. */
    static boolean isDocumentation(String path) {
        return path.equals("/api/openapi.json") || path.startsWith("/api/openapi.json/")
                || path.equals("/api/docs") || path.startsWith("/api/docs/") || path.startsWith("/api/swagger-ui/");
    }
}

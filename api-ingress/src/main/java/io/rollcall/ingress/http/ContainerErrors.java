package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import io.rollcall.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Requests Tomcat refuses before any filter or controller sees them (an encoded {@code /} in the path, a malformed
 * URL) get the JSON envelope instead of Tomcat's HTML error page. Ordered after Spring Boot's own Tomcat settings,
 * whose HTML error report valve this one replaces.
 */
@Component
public final class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(JsonErrorReport.class.getName());
                host.getPipeline().addValve(new JsonErrorReport());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Tomcat's error report, as the API's envelope. */
    public static final class JsonErrorReport extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            // As Tomcat's own report: only errors, only when nothing was written, only once.
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            ErrorCode code = ErrorResponses.forStatus(status);
            Object id = request.getAttribute(RequestIds.ATTRIBUTE);
            String requestId = id != null ? id.toString() : UUID.randomUUID().toString();
            String message = code == ErrorCode.INTERNAL_ERROR ? "Internal error" : "The request was refused (HTTP " + status + ")";
            try {
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                response.setHeader(RequestIds.HEADER, requestId);
                PrintWriter writer = response.getReporter();
                if (writer != null) {
                    writer.write(Json.MAPPER.writeValueAsString(ApiError.of(code, message, Map.of(), requestId)));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response cannot be written; there is no one left to tell.
            }
        }
    }
}

package io.rollcall.worker;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An inference worker as a Spring Boot application. {@code ./rollcall worker} runs it with a small web server for
 * health and Prometheus metrics only ({@code WORKER_PORT}, default 8001, its management port); inside
 * {@code ./rollcall} it runs without one, next to the ingress, whose {@code MANAGEMENT_PORT} then shows the worker's
 * metrics too (they are registered on Micrometer's global registry).
 */
@SpringBootApplication
public class WorkerApplication {

    /**
     * @param environment      configuration (normally {@link System#getenv()}), bound once by {@link WorkerConfig}
     * @param bootstrapServers Kafka address to use when {@code KAFKA_BOOTSTRAP_SERVERS} is unset, or {@code null}
     */
    public static ConfigurableApplicationContext start(Map<String, String> environment, String bootstrapServers, boolean web) {
        WorkerConfig config = WorkerConfig.from(environment, bootstrapServers);
        SpringApplication app = new SpringApplication(WorkerApplication.class);
        app.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", config.port());
        properties.put("spring.application.name", "rollcall-worker");
        // Its only port is a management port: health and Prometheus metrics, nothing else.
        properties.put("management.endpoints.web.exposure.include", "health,prometheus");
        properties.put("management.endpoint.health.probes.enabled", true);
        // Ready only while it can serve: model, database and Kafka broker (WorkerReadiness).
        properties.put("management.endpoint.health.group.readiness.include", "readinessState,worker");
        properties.put("management.endpoint.health.show-details", "always");
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.org.apache.kafka", "WARN");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "30s");
        app.setDefaultProperties(properties);
        app.addInitializers(context -> context.getBeanFactory().registerSingleton("workerConfig", config));
        try {
            return app.run();
        } catch (RuntimeException e) {
            // A gallery too large for the heap is the operator's to fix: say so plainly, not under Spring's chain.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof io.rollcall.gallery.GalleryCapacity.GalleryTooLargeException tooLarge) {
                    System.err.println("worker: refusing to start. " + tooLarge.getMessage());
                    throw tooLarge;
                }
            }
            throw e;
        }
    }
}

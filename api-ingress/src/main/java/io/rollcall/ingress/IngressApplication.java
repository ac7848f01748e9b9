package io.rollcall.ingress;

import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.bulk.ImportCsv;
import io.rollcall.ingress.face.WorkerReadiness;
import io.rollcall.messaging.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The HTTP ingress as a Spring Boot application: web server, validation, rate limiting, and the Kafka
 * request-reply path. Started by {@code ./rollcall ingress}, or inside {@code ./rollcall} next to a worker.
 */
@SpringBootApplication
public class IngressApplication {

    /**
     * @param environment      configuration (normally {@link System#getenv()})
     * @param bootstrapServers Kafka address to use when {@code KAFKA_BOOTSTRAP_SERVERS} is unset, or {@code null}
     */
    public static ConfigurableApplicationContext start(Map<String, String> environment, String bootstrapServers) {
        IngressSettings settings = IngressSettings.from(environment);
        KafkaSettings kafka = KafkaSettings.fromEnvironment(environment, bootstrapServers);
        SpringApplication app = new SpringApplication(IngressApplication.class);
        app.setDefaultProperties(defaultProperties(settings));
        app.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("ingressSettings", settings);
            context.getBeanFactory().registerSingleton("topics", kafka.topics());
            context.getBeanFactory().registerSingleton("kafkaClients", kafka.clients());
        });
        return app.run();
    }

    /**
     * Spring Boot settings that follow from the ingress's own: ports, upload limits, health and metrics, documentation
     * paths, shutdown.
     */
    static Map<String, Object> defaultProperties(IngressSettings settings) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", settings.port());
        properties.put("spring.application.name", "rollcall-ingress");
        properties.put("server.shutdown", "graceful");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "30s");
        // The larger of an image and a bulk-import CSV; each endpoint checks its own limit on the upload.
        long largestUpload = Math.max(settings.maxImageBytes(), ImportCsv.MAX_BYTES);
        properties.put("spring.servlet.multipart.max-file-size", largestUpload);
        properties.put("spring.servlet.multipart.max-request-size", largestUpload + 1_048_576);
        // Parts stay in memory (bounded by the body limits and the in-flight budget): the default threshold of 0
        // spools every uploaded photo or CSV of names to a temporary file, which a crash would leave behind.
        properties.put("spring.servlet.multipart.file-size-threshold", largestUpload + 1_048_576);
        properties.put("server.tomcat.max-swallow-size", -1);
        // Health and metrics on a port of their own: the API's callers must not read install paths, versions and
        // gallery sizes, and a firewall can keep the management port to the monitoring network.
        properties.put("management.server.port", settings.managementPort());
        properties.put("management.endpoints.web.exposure.include", "health,prometheus");
        // Latency histograms per endpoint (Prometheus buckets), not just a count and a sum.
        properties.put("management.metrics.distribution.percentiles-histogram.http.server.requests", true);
        properties.put("management.endpoint.health.probes.enabled", true);
        // Ready only while some worker can serve: the worker roster (heartbeats through Kafka) covers the broker,
        // the model and the database (WorkerReadiness).
        properties.put("management.endpoint.health.group.readiness.include", "readinessState," + WorkerReadiness.NAME);
        properties.put("management.endpoint.health.show-details", "always");
        // The ingress has no database. In the one jar the worker's JDBC driver and pool are on the classpath, and
        // Spring Boot would create an embedded H2 pool of its own, started by the first health check or scrape.
        properties.put("spring.autoconfigure.exclude", "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
        properties.put("springdoc.api-docs.path", "/api/openapi.json");
        properties.put("springdoc.swagger-ui.path", "/api/docs");
        properties.put("logging.level.org.apache.kafka", "WARN");
        // Its reply-timeout warning prints the whole request record, photo bytes included; the timeout is reported
        // (with the request id, never the photo) by the error handler instead.
        properties.put("logging.level.org.springframework.kafka.requestreply.ReplyingKafkaTemplate", "ERROR");
        properties.put("spring.main.banner-mode", "off");
        return properties;
    }
}

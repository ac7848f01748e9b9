package io.rollcall.worker;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An inference worker as a Spring Boot application. {@code ./rollcall worker} runs it with a small web server for
 * health and Prometheus metrics ({@code WORKER_PORT}, default 8001); inside {@code ./rollcall} it runs without one,
 * next to the ingress.
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
        properties.put("management.endpoints.web.exposure.include", "health,prometheus,info");
        properties.put("management.endpoint.health.probes.enabled", true);
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.org.apache.kafka", "WARN");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "30s");
        app.setDefaultProperties(properties);
        app.addInitializers(context -> context.getBeanFactory().registerSingleton("workerConfig", config));
        return app.run();
    }
}

package io.rollcall.service;

import io.rollcall.attendance.AttendanceSettings;
import io.rollcall.bulk.BulkImportConfiguration;
import io.rollcall.bulk.BulkImportSettings;
import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.image.ImageLimits;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.storage.StoreSettings;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * An inference worker as a Spring Boot application. {@code ./rollcall worker} runs it with a small web server for
 * health and Prometheus metrics ({@code WORKER_PORT}, default 8001); inside {@code ./rollcall} it runs without one,
 * next to the ingress.
 */
@SpringBootApplication
@Import(BulkImportConfiguration.class)
public class WorkerApplication {

    public static ConfigurableApplicationContext start(Map<String, String> environment, String bootstrapServers, boolean web) {
        SpringApplication app = new SpringApplication(WorkerApplication.class);
        app.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", environment.getOrDefault("WORKER_PORT", "8001"));
        properties.put("spring.application.name", "rollcall-worker");
        properties.put("management.endpoints.web.exposure.include", "health,prometheus,info");
        properties.put("management.endpoint.health.probes.enabled", true);
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.org.apache.kafka", "WARN");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "30s");
        app.setDefaultProperties(properties);
        app.addInitializers(context -> {
            var beans = context.getBeanFactory();
            beans.registerSingleton("workerSettings", WorkerSettings.from(environment));
            beans.registerSingleton("modelSettings", ModelSettings.from(environment));
            beans.registerSingleton("engineSettings", EngineSettings.from(environment));
            beans.registerSingleton("imageLimits", ImageLimits.from(environment));
            beans.registerSingleton("storeSettings", StoreSettings.from(environment));
            beans.registerSingleton("attendanceSettings", AttendanceSettings.from(environment));
            beans.registerSingleton("bulkImportSettings", BulkImportSettings.from(environment));
            beans.registerSingleton("topics", Topics.fromEnvironment(environment));
            beans.registerSingleton("kafkaClients", KafkaClients.fromEnvironment(environment, bootstrapServers));
        });
        return app.run();
    }

    public static void main(String[] args) {
        start(System.getenv(), null, true);
    }
}

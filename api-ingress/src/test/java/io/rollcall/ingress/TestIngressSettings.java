package io.rollcall.ingress;

import io.rollcall.ingress.http.IngressSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Does for a test context what {@link IngressApplication#start} does for the real one: builds {@link IngressSettings}
 * from environment variables and registers them with the derived Spring Boot defaults. The variables come from test
 * properties named {@code ingress.env.<VARIABLE>} over the small limits in {@link #DEFAULTS}, so a test class
 * changes one setting with {@code @TestPropertySource(properties = "ingress.env.API_KEYS=k1")}.
 */
public final class TestIngressSettings implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    public static final String PREFIX = "ingress.env.";
    public static final long MAX_IMAGE_BYTES = 4096;
    public static final int MAX_BATCH_ITEMS = 3;
    public static final String ALLOWED_ORIGIN = "https://admin.school.example";

    private static final Map<String, String> DEFAULTS = Map.of(
            "PORT", "0",
            "MAX_IMAGE_BYTES", Long.toString(MAX_IMAGE_BYTES),
            "MAX_BATCH_ITEMS", Integer.toString(MAX_BATCH_ITEMS),
            "RATE_LIMIT_PER_MINUTE", "0",
            "API_KEYS", "",
            "CORS_ALLOWED_ORIGINS", ALLOWED_ORIGIN,
            "REQUEST_TIMEOUT_MS", "5000",
            "MAX_CONCURRENT_REQUESTS", "10",
            "QUEUE_TIMEOUT_MS", "2000");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Map<String, String> variables = new LinkedHashMap<>(DEFAULTS);
        variables.replaceAll((name, value) -> context.getEnvironment().getProperty(PREFIX + name, value));
        IngressSettings settings = IngressSettings.from(variables);
        context.getEnvironment().getPropertySources()
                .addLast(new MapPropertySource("ingressDefaults", IngressApplication.defaultProperties(settings)));
        context.getBeanFactory().registerSingleton("ingressSettings", settings);
    }
}

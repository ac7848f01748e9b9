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
    /** Room for a full bulk import (a CSV in JSON) and more, so that only the tests of the budget meet it. */
    public static final long MAX_INFLIGHT_REQUEST_BYTES = 32L * 1024 * 1024;
    public static final String ALLOWED_ORIGIN = "https://admin.school.example";
    /** A zone an hour or two ahead of UTC (with daylight saving time), so that tests see the offset at work. */
    public static final String SCHOOL_TIMEZONE = "Europe/Amsterdam";

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("PORT", "0"),
            Map.entry("MANAGEMENT_PORT", "0"),
            Map.entry("MAX_IMAGE_BYTES", Long.toString(MAX_IMAGE_BYTES)),
            Map.entry("MAX_BATCH_ITEMS", Integer.toString(MAX_BATCH_ITEMS)),
            Map.entry("RATE_LIMIT_PER_MINUTE", "0"),
            Map.entry("API_KEYS", ""),
            Map.entry("ADMIN_API_KEYS", ""),
            Map.entry("ALLOW_ANONYMOUS", "false"),
            Map.entry("TRUSTED_PROXIES", ""),
            Map.entry("CORS_ALLOWED_ORIGINS", ALLOWED_ORIGIN),
            Map.entry("REQUEST_TIMEOUT_MS", "5000"),
            Map.entry("MAX_CONCURRENT_REQUESTS", "10"),
            Map.entry("QUEUE_TIMEOUT_MS", "2000"),
            Map.entry("MAX_INFLIGHT_REQUEST_BYTES", Long.toString(MAX_INFLIGHT_REQUEST_BYTES)),
            Map.entry("MIN_SIMILARITY_THRESHOLD", "0.3"),
            Map.entry("SCHOOL_TIMEZONE", SCHOOL_TIMEZONE));

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

package io.rollcall.ingress;

import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.bulk.BulkImportController;
import io.rollcall.ingress.face.FaceController;
import io.rollcall.ingress.http.RequestIds;
import io.rollcall.ingress.migration.MigrationController;
import io.rollcall.json.Json;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side of the ingress: controllers, filters, the error mapping, the JSON mapper and CORS. It needs an
 * {@link IngressSettings}, a {@link io.rollcall.ingress.gateway.FaceGateway} and a
 * {@link io.rollcall.ingress.bulk.BulkJobs} bean and knows nothing of Kafka,
 * so it can be served in front of any gateway.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = {FaceController.class, BulkImportController.class, MigrationController.class,
        RequestIds.class})
public class IngressWebConfiguration {

    /**
     * The project's mapper, refusing a fraction where a request field is an integer: Jackson would otherwise read
     * {@code "session_id": 1.5} as session 1 and record attendance in the wrong session.
     */
    @Bean
    JsonMapper jsonMapper() {
        return Json.MAPPER.rebuild().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();
    }

    /**
     * CORS as a servlet filter, right after the request id, rather than in Spring MVC: the answers that filters write
     * themselves (401, 413, 429) then carry the CORS headers too, so a browser can read them, and preflights are
     * answered before the rate limit and the API key check.
     */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(IngressSettings settings) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(settings.corsOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("*"));
        cors.setExposedHeaders(List.of(RequestIds.HEADER, "Retry-After"));
        UrlBasedCorsConfigurationSource paths = new UrlBasedCorsConfigurationSource();
        paths.registerCorsConfiguration("/api/**", cors);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(paths));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}

package io.rollcall.ingress;

import io.rollcall.ingress.admin.AdminPage;
import io.rollcall.ingress.http.ImageText;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.http.JsonBodyConverter;
import io.rollcall.ingress.bulk.BulkImportController;
import io.rollcall.ingress.face.FaceController;
import io.rollcall.ingress.http.RequestIds;
import io.rollcall.ingress.migration.MigrationController;
import io.rollcall.ingress.session.SessionController;
import io.rollcall.json.Json;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side of the ingress: controllers, filters (CORS, keys, limits), the error mapping, the JSON mapper and
 * the admin page.
 * It needs an {@link IngressSettings}, a {@link io.rollcall.ingress.gateway.FaceGateway} and a
 * {@link io.rollcall.ingress.bulk.BulkJobs} bean and knows nothing of Kafka,
 * so it can be served in front of any gateway.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = {AdminPage.class, FaceController.class, BulkImportController.class, MigrationController.class,
        SessionController.class, RequestIds.class})
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
     * Request bodies with photo fields are read by {@link JsonBodyConverter}, which decodes the photos while parsing
     * ({@link ImageText}); it goes first and claims nothing else. Not a converter bean: Boot would then drop its own
     * JSON converter, the one that writes every answer with this mapper.
     */
    @Bean
    WebMvcConfigurer photoBodies(JsonMapper jsonMapper, IngressSettings settings) {
        return new WebMvcConfigurer() {
            @Override
            public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
                converters.addFirst(new JsonBodyConverter(jsonMapper, settings.maxImageBytes()));
            }
        };
    }
}

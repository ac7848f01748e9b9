package io.rollcall.ingress;

import io.rollcall.ingress.admin.AdminPage;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.bulk.BulkImportController;
import io.rollcall.ingress.face.FaceController;
import io.rollcall.ingress.http.RequestIds;
import io.rollcall.ingress.migration.MigrationController;
import io.rollcall.ingress.session.SessionController;
import io.rollcall.json.Json;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
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
}

package io.rollcall.ingress;

import io.rollcall.ingress.http.IngressSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.ingress.bulk.BulkJobs;
import io.rollcall.ingress.bulk.KafkaBulkJobs;
import io.rollcall.ingress.face.FaceController;
import io.rollcall.ingress.gateway.FaceGateway;
import io.rollcall.ingress.gateway.KafkaFaceGateway;
import io.rollcall.ingress.http.ApiKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The production entry point still wires the HTTP side in front of the Kafka gateway (no broker is contacted). */
class IngressApplicationStartTest {

    @Test
    void startWiresTheWebSideToTheKafkaGateway() {
        // Nothing listens on port 9: the reply consumer keeps retrying in the background, which is all start needs.
        try (ConfigurableApplicationContext context = IngressApplication.start(
                Map.of("PORT", "0", "MANAGEMENT_PORT", "0", "API_KEYS", "k", "MAX_IMAGE_BYTES", "2048"), "127.0.0.1:9")) {
            assertThat(context.getBean(FaceGateway.class)).isInstanceOf(KafkaFaceGateway.class);
            assertThat(context.getBean(BulkJobs.class)).isInstanceOf(KafkaBulkJobs.class);
            assertThat(context.getBeansOfType(FaceController.class)).hasSize(1);
            assertThat(context.getBeansOfType(ApiKeys.class)).hasSize(1);
            assertThat(context.getBean(IngressSettings.class).maxImageBytes()).isEqualTo(2048);
            assertThat(context.getEnvironment().getProperty("springdoc.api-docs.path")).isEqualTo("/api/openapi.json");
        }
    }
}

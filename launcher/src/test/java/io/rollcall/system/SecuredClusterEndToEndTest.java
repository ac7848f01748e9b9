package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.broker.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a cluster that, like a managed one, only talks to authenticated clients (SASL/PLAIN), shared with
 * other installations (a topic prefix): a worker and the ingress reach it through {@code KAFKA_CLIENT_*} alone, and
 * every topic and consumer group they create or join lies under the prefix.
 */
class SecuredClusterEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void enrollAndRecognizeThroughASaslBrokerWithEverythingUnderThePrefix() throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.startWithSaslPlain(dir.resolve("kafka"), 0, Map.of("school-7", "pw-41b7e0"));
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_TOPIC_PREFIX", "staging",
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_CLIENT_SASL_MECHANISM", "PLAIN",
                "KAFKA_CLIENT_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"school-7\" password=\"pw-41b7e0\";"));
        try (RunningService service = new RunningService(broker, dir, 1, env)) {
            Reply enrolled = service.http.post("/api/face/enroll", RunningService.studentEnrollment("S701", "tom_hanks/02.jpg"));
            assertThat(enrolled.status()).as(enrolled.body().toString()).isEqualTo(200);
            Reply recognized = service.http.post("/api/face/recognize",
                    Map.of("image_base64", RunningService.base64("tom_hanks/03.jpg")));
            assertThat(recognized.status()).isEqualTo(200);
            assertThat(recognized.body().path("match").path("person_code").asText()).isEqualTo("S701");

            try (Admin admin = Admin.create(service.kafka().clients().admin())) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(topics).hasSize(9).allMatch(name -> name.startsWith("staging.rollcall."));
                List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(GroupListing::groupId).toList();
                assertThat(groups).allMatch(group -> group.startsWith("staging."))
                        .contains("staging.rollcall-workers", "staging.rollcall-log-writer", "staging.rollcall-bulk-importers")
                        .anyMatch(group -> group.startsWith("staging.rollcall-ingress-"));
            }
        }
    }
}

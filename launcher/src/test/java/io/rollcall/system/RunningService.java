package io.rollcall.system;

import io.rollcall.bench.HttpLoad;
import io.rollcall.broker.LocalKafkaBroker;
import io.rollcall.ingress.IngressApplication;
import io.rollcall.messaging.KafkaSettings;
import io.rollcall.worker.WorkerApplication;
import io.rollcall.testing.DevData;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real service for end-to-end tests: an in-process KRaft broker, an H2 database file, N workers and one
 * ingress, all in this JVM, configured through the same environment variables as production.
 */
final class RunningService implements AutoCloseable {
    final LocalKafkaBroker broker;
    final Map<String, String> env;
    final List<ConfigurableApplicationContext> workers = new ArrayList<>();
    final ConfigurableApplicationContext ingress;
    final HttpLoad http;
    /** The ingress's address, for calls that need more than {@link HttpLoad} offers (headers of their own). */
    final URI base;
    /** The ingress's health and metrics ({@code MANAGEMENT_PORT}). */
    final URI management;

    RunningService(Path dir, int workerCount, Map<String, String> overrides) {
        this(LocalKafkaBroker.start(dir.resolve("kafka"), 0), dir, workerCount, overrides);
    }

    /** On a broker of the test's own (a secured one); closed with the service. */
    RunningService(LocalKafkaBroker broker, Path dir, int workerCount, Map<String, String> overrides) {
        this.broker = broker;
        this.env = new HashMap<>();
        env.put("MODELS_DIR", DevData.models().toString());
        env.put("INSIGHTFACE_MODEL", "dev");
        env.put("AUTO_DOWNLOAD_MODELS", "false");
        env.put("SIMILARITY_THRESHOLD", "0.4");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db/rollcall").toAbsolutePath());
        env.put("DATA_DIR", dir.toString());
        env.put("PORT", "0");
        env.put("MANAGEMENT_PORT", "0");
        env.put("WORKER_PORT", "0");
        env.put("RATE_LIMIT_PER_MINUTE", "0");
        env.put("REQUEST_TIMEOUT_MS", "20000");
        env.putAll(overrides);
        for (int i = 0; i < workerCount; i++) {
            startWorker("worker-" + (i + 1));
        }
        this.ingress = IngressApplication.start(env, broker.bootstrapServers());
        String port = ingress.getEnvironment().getProperty("local.server.port");
        this.base = URI.create("http://127.0.0.1:" + port);
        this.management = URI.create("http://127.0.0.1:" + ingress.getEnvironment().getProperty("local.management.port"));
        this.http = new HttpLoad(base, null);
    }

    ConfigurableApplicationContext startWorker(String id) {
        return startWorker(id, false);
    }

    /** @param web with its own health and metrics server on {@code WORKER_PORT}, as {@code ./rollcall worker} */
    ConfigurableApplicationContext startWorker(String id, boolean web) {
        Map<String, String> workerEnv = new HashMap<>(env);
        workerEnv.put("WORKER_ID", id);
        ConfigurableApplicationContext worker = WorkerApplication.start(workerEnv, broker.bootstrapServers(), web);
        workers.add(worker);
        return worker;
    }

    /** An enroll body for a student, the photo as plain base64. */
    static Map<String, Object> studentEnrollment(String code, String photo) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("person_type", "student");
        body.put("person_code", code);
        body.put("person_name", "Student " + code);
        body.put("image_base64", base64(photo));
        return body;
    }

    static String base64(String photo) {
        return java.util.Base64.getEncoder().encodeToString(DevData.bytes(photo));
    }

    /** Kafka as the service's own processes see it: the same variables, the same in-process broker. */
    KafkaSettings kafka() {
        return KafkaSettings.fromEnvironment(env, broker.bootstrapServers());
    }

    @Override
    public void close() {
        ingress.close();
        workers.forEach(ConfigurableApplicationContext::close);
        broker.close();
    }
}

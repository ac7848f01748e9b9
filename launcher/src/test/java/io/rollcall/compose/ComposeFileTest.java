package io.rollcall.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.Variable;
import io.rollcall.config.Variables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code compose/} as Docker would read it (there is no Docker engine here to run it): every service restarts, is
 * health-checked and stopped gracefully; data lies on volumes; the Rollcall services get only declared variables,
 * the required ones, no secret but from {@code compose/.env}, and no default of their own; the image is built from
 * the Dockerfile with the jar that has no broker; the build context leaves build output, data and secrets out.
 * SnakeYAML comes with Spring Boot.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("..");
    private static final List<String> ROLLCALL = List.of("ingress", "worker");
    /** Variables every Rollcall process of this layout must be given, and why. */
    private static final Map<String, String> REQUIRED_BOTH = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "there is no in-process broker in the image",
            "SCHOOL_TIMEZONE", "the containers' zone is UTC, not the school's",
            "KAFKA_REPLICATION_FACTOR", "the bundled Kafka is one broker, the default of 3 needs three",
            "KAFKA_MIN_INSYNC_REPLICAS", "as the factor");
    private static final Map<String, String> REQUIRED_WORKER = Map.of(
            "DATABASE_URL", "else the embedded H2 inside the container, lost with it",
            "DATABASE_USER", "the school's database",
            "DATABASE_PASSWORD", "the school's database",
            "WORKER_PORT", "its healthcheck and Prometheus use it",
            "BULK_IMPORT_DIR", "the import-photos volume");
    /** Defaults this layout sets on purpose instead of Rollcall's own (compose's {@code ${NAME:-value}}). */
    private static final Map<String, String> LAYOUT_DEFAULTS = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "KAFKA_REPLICATION_FACTOR", "1",
            "KAFKA_MIN_INSYNC_REPLICAS", "1",
            "DATABASE_URL", "jdbc:mysql://mysql:3306/attendance",
            "DATABASE_USER", "rollcall");
    private static final Pattern SECRET = Pattern.compile(".*(PASSWORD|JAAS|SECRET|API_KEYS).*");
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([-?])([^}]*))?}");

    private static Map<String, Object> compose;
    private static String dockerfile;

    @BeforeAll
    static void read() throws IOException {
        compose = new Yaml().load(Files.readString(ROOT.resolve("compose/docker-compose.yml")));
        dockerfile = Files.readString(ROOT.resolve("compose/Dockerfile"));
    }

    @Test
    void everyServiceRestartsIsHealthCheckedAndStopsGracefully() {
        assertThat(services().keySet()).containsExactlyInAnyOrder("kafka", "mysql", "ingress", "worker", "prometheus");
        services().forEach((name, service) -> {
            assertThat(service.get("restart")).as("%s restart policy", name).isEqualTo("unless-stopped");
            assertThat(map(service.get("healthcheck")).get("test")).as("%s healthcheck", name).isNotNull();
            assertThat(duration(service.get("stop_grace_period"))).as("%s stop_grace_period", name)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void theRollcallServicesOutlastTheirOwnShutdown() {
        // Spring waits up to 30 s per shutdown phase (spring.lifecycle.timeout-per-shutdown-phase) for in-flight work;
        // Docker must not kill the process first.
        assertThat(duration(service("worker").get("stop_grace_period"))).isGreaterThan(Duration.ofSeconds(30));
        assertThat(duration(service("ingress").get("stop_grace_period"))).isGreaterThan(Duration.ofSeconds(30));
    }

    @Test
    void kafkaKeepsItsDataOnItsVolume() {
        String logDirs = environment("kafka").get("KAFKA_LOG_DIRS");
        assertThat(logDirs).as("KAFKA_LOG_DIRS (the image's default is /tmp/kraft-combined-logs)").isNotBlank();
        for (String dir : logDirs.split(",")) {
            assertThat(namedVolumeHolding("kafka", dir)).as("volume holding %s", dir).isEqualTo(Optional.of("kafka-data"));
        }
    }

    @Test
    void everyOtherDataPathIsOnAVolume() {
        assertThat(namedVolumeHolding("mysql", "/var/lib/mysql")).contains("mysql-data");
        assertThat(namedVolumeHolding("prometheus", "/prometheus")).contains("prometheus-data");
        Map<String, String> worker = new LinkedHashMap<>(imageEnvironment());
        worker.putAll(environment("worker"));
        assertThat(namedVolumeHolding("worker", worker.get("MODELS_DIR"))).contains("models");
        assertThat(namedVolumeHolding("worker", worker.get("BULK_IMPORT_DIR"))).contains("import-photos");
        assertThat(map(compose.get("volumes")).keySet())
                .containsExactlyInAnyOrder("kafka-data", "mysql-data", "models", "import-photos", "prometheus-data");
    }

    @Test
    void theRollcallServicesGetOnlyDeclaredVariablesAndTheRequiredOnes() {
        for (String name : ROLLCALL) {
            for (String variable : environment(name).keySet()) {
                assertThat(Variables.all().stream().anyMatch(v -> v.covers(variable)))
                        .as("%s passes %s, which Rollcall does not read (schemas Variables)", name, variable).isTrue();
            }
            assertThat(environment(name)).as(name).containsKeys(REQUIRED_BOTH.keySet().toArray(String[]::new));
        }
        assertThat(environment("worker")).containsKeys(REQUIRED_WORKER.keySet().toArray(String[]::new));
        assertThat(environment("ingress")).containsKey("PORT")
                .as("the ingress needs no database credentials").doesNotContainKeys("DATABASE_PASSWORD", "DATABASE_USER");
        assertThat(environment("worker")).containsKeys("KAFKA_CLIENT_SECURITY_PROTOCOL", "KAFKA_CLIENT_SASL_MECHANISM",
                "KAFKA_CLIENT_SASL_JAAS_CONFIG");
    }

    @Test
    void rollcallsOwnDefaultsApplyUnlessTheLayoutNeedsAnother() {
        for (String name : ROLLCALL) {
            environment(name).forEach((variable, value) -> {
                Matcher m = INTERPOLATION.matcher(value);
                if (!m.matches() || !"-".equals(m.group(2)) || m.group(3).isEmpty()) {
                    return;
                }
                // A value of compose's own would silently override the application's (SIMILARITY_THRESHOLD once was 0.6).
                String declared = Variables.all().stream().filter(v -> v.name().equals(variable)).findFirst()
                        .map(Variable::defaultValue).orElse(null);
                assertThat(m.group(3)).as("compose's default of %s for the %s", variable, name)
                        .isEqualTo(LAYOUT_DEFAULTS.getOrDefault(variable, declared));
            });
        }
        assertThat(environment("worker").get("SIMILARITY_THRESHOLD")).isEqualTo("${SIMILARITY_THRESHOLD:-}");
    }

    @Test
    void secretsComeOnlyFromTheEnvFile() throws IOException {
        String envExample = Files.readString(ROOT.resolve("compose/.env.example"));
        services().forEach((name, service) -> environment(name).forEach((variable, value) -> {
            Matcher m = INTERPOLATION.matcher(value);
            if (SECRET.matcher(variable).matches()) {
                assertThat(m.matches()).as("%s %s is taken from compose/.env", name, variable).isTrue();
                assertThat("?".equals(m.group(2)) || m.group(3) == null || m.group(3).isEmpty())
                        .as("%s %s has no value in the file: %s", name, variable, value).isTrue();
            }
            if (m.matches() && "?".equals(m.group(2))) {
                assertThat(envExample).as("compose/.env.example lists the required %s", m.group(1)).contains("\n" + m.group(1) + "=");
            }
        }));
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains("compose/.env");
    }

    @Test
    void bothRollcallServicesRunTheOneImageBuiltFromTheDockerfile() {
        Object build = service("ingress").get("build");
        assertThat(map(build)).containsEntry("context", "..").containsEntry("dockerfile", "compose/Dockerfile");
        assertThat(service("worker").get("build")).isEqualTo(build);
        assertThat(service("worker").get("image")).isEqualTo(service("ingress").get("image")).isEqualTo("rollcall:latest");
        assertThat(service("ingress").get("command")).isEqualTo(List.of("ingress"));
        assertThat(service("worker").get("command")).isEqualTo(List.of("worker"));
        // The production jar: no in-process broker (RollcallJarsIT checks what it holds).
        assertThat(dockerfile).contains("COPY --from=build /src/launcher/target/rollcall-no-broker.jar /app/rollcall.jar");
    }

    @Test
    void healthchecksAndScrapesUseThePortsTheProcessesServeActuatorOn() throws IOException {
        String ingressCheck = healthcheck("ingress");
        String workerCheck = healthcheck("worker");
        assertThat(ingressCheck).contains("curl -fsS").contains("/actuator/health/readiness")
                .contains("http://localhost:${MANAGEMENT_PORT}/actuator/health/readiness");
        assertThat(workerCheck).contains("curl -fsS").contains("http://localhost:${WORKER_PORT}/actuator/health/readiness");
        assertThat(dockerfile).as("the runtime image installs curl for them").contains("apt-get install -y --no-install-recommends curl");

        // Actuator is never on PORT: the ingress is given MANAGEMENT_PORT explicitly, so that the healthcheck and
        // Prometheus follow it, and it differs from the API's port.
        String ingressActuatorPort = environment("ingress").get("MANAGEMENT_PORT");
        assertThat(ingressActuatorPort).as("the ingress's actuator port").isNotNull().isNotEqualTo(environment("ingress").get("PORT"));
        Map<String, Object> prometheus = new Yaml().load(Files.readString(ROOT.resolve("compose/prometheus.yml")));
        List<String> targets = new ArrayList<>();
        for (Object job : (List<?>) prometheus.get("scrape_configs")) {
            Map<String, Object> scrape = map(job);
            assertThat(scrape.get("metrics_path")).isEqualTo("/actuator/prometheus");
            for (Object config : (List<?>) scrape.getOrDefault("static_configs", List.of())) {
                ((List<?>) map(config).get("targets")).forEach(t -> targets.add((String) t));
            }
            for (Object config : (List<?>) scrape.getOrDefault("dns_sd_configs", List.of())) {
                targets.add(((List<?>) map(config).get("names")).getFirst() + ":" + map(config).get("port"));
            }
        }
        assertThat(targets).containsExactlyInAnyOrder("ingress:" + ingressActuatorPort, "worker:" + environment("worker").get("WORKER_PORT"));
    }

    @Test
    void theBuildContextLeavesOutputDataWeightsAndSecretsOut() throws IOException {
        DockerIgnore ignore = DockerIgnore.read(ROOT.resolve(".dockerignore"));

        assertThat(List.of("target/classes/x.class", "worker/target/rollcall-worker.jar", "launcher/target/rollcall.jar",
                "schemas/target/generated-sources/avro/A.java", "data/db/rollcall.mv.db", "data/kafka/log/meta.properties",
                "models/buffalo_l/det_10g.onnx", "models/.digests.json", "compose/.env", ".git/HEAD",
                "tools/reference/node_modules/onnxruntime-node/index.js", "api-ingress/node_modules/x/y.js"))
                .allSatisfy(path -> assertThat(ignore.excludes(path)).as(path).isTrue());
        assertThat(List.of("pom.xml", "mvnw", ".mvn/wrapper/maven-wrapper.properties", "models/packs/dev.json",
                "worker/src/main/java/io/rollcall/worker/WorkerConfig.java", "launcher/pom.xml", "compose/Dockerfile"))
                .allSatisfy(path -> assertThat(ignore.excludes(path)).as(path).isFalse());
        // Every COPY from the context still finds what it names.
        Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(.+)$").matcher(dockerfile);
        while (copy.find()) {
            String[] parts = copy.group(1).trim().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                assertThat(ROOT.resolve(parts[i])).as("COPY source %s", parts[i]).exists();
                assertThat(ignore.excludes(parts[i])).as("COPY source %s left out of the context", parts[i]).isFalse();
            }
        }
    }

    // ---- reading the files ----

    private static Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
        return services;
    }

    private static Map<String, Object> service(String name) {
        return services().get(name);
    }

    /** The service's environment with its merge keys resolved (SnakeYAML resolves {@code <<: *anchor}). */
    private static Map<String, String> environment(String name) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object declared = service(name).get("environment");
        if (declared != null) {
            map(declared).forEach((key, value) -> environment.put(key, String.valueOf(value)));
        }
        return environment;
    }

    /** The image's own ENV (MODELS_DIR, DATA_DIR). */
    private static Map<String, String> imageEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^ENV (.+)$").matcher(dockerfile);
        while (line.find()) {
            Matcher pair = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)").matcher(line.group(1));
            while (pair.find()) {
                env.put(pair.group(1), pair.group(2).replace("\"", ""));
            }
        }
        return env;
    }

    /** The named volume whose mount point holds {@code path} in the service, if any. */
    private static Optional<String> namedVolumeHolding(String name, String path) {
        Set<String> named = map(compose.get("volumes")).keySet();
        for (Object volume : (List<?>) service(name).getOrDefault("volumes", List.of())) {
            String[] parts = ((String) volume).split(":");
            if (named.contains(parts[0]) && (path.equals(parts[1]) || path.startsWith(parts[1] + "/"))) {
                return Optional.of(parts[0]);
            }
        }
        return Optional.empty();
    }

    /** The healthcheck as the container's shell runs it: compose turns {@code $$} into {@code $}. */
    private static String healthcheck(String name) {
        List<?> test = (List<?>) map(service(name).get("healthcheck")).get("test");
        assertThat(test.getFirst()).isEqualTo("CMD-SHELL");
        return ((String) test.get(1)).replace("$$", "$");
    }

    /** Compose durations: {@code 45s}, {@code 1m30s}, {@code 2m}. */
    private static Duration duration(Object value) {
        assertThat(value).isNotNull();
        Matcher m = Pattern.compile("(?:(\\d+)m)?(?:(\\d+)s)?").matcher(String.valueOf(value));
        assertThat(m.matches()).as("duration %s", value).isTrue();
        return Duration.ofMinutes(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                .plusSeconds(m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }
}

package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.broker.LocalKafkaBroker;
import io.rollcall.testing.DevData;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two jars the build makes (launcher/pom.xml), run as separate JVMs after {@code package}: rollcall.jar serves
 * everything in one process with its in-process broker ({@code ./rollcall}); rollcall-no-broker.jar, the production
 * image's, has no broker and runs an ingress against a cluster (WorkerCrashIT runs its worker). Both carry natives
 * for Linux x86-64 only and no Python module.
 */
class RollcallJarsIT {
    private static final Path FULL = Path.of("target", "rollcall.jar");
    private static final Path NO_BROKER = Path.of("target", "rollcall-no-broker.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void bothJarsCarryOnlyLinuxX8664NativesAndTheProductionJarNoBroker() throws IOException {
        List<String> full = entries(FULL);
        List<String> production = entries(NO_BROKER);

        for (List<String> jar : List.of(full, production)) {
            assertThat(jar.stream().filter(RollcallJarsIT::isNative))
                    .isNotEmpty()
                    .allMatch(e -> e.matches("(.*/)?(linux-x86_64|linux-x64|linux/amd64|Linux/x86_64)/.*"));
            assertThat(jar).noneMatch(e -> e.contains("/python/") || e.contains("jniopencv_python"))
                    .noneMatch(e -> e.startsWith("org/bytedeco/opencv/linux-x86_64/include/"))
                    .contains("org/apache/kafka/clients/producer/KafkaProducer.class", "org/jose4j/jwt/JwtClaims.class",
                            "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                            "org/bytedeco/opencv/linux-x86_64/libopencv_imgcodecs.so.413");
        }
        assertThat(full).contains("kafka/server/KafkaRaftServer.class", "scala/Option.class");
        // kafka-clients keeps kafka/kafka-version.properties; the broker's classes are under kafka/ and Scala's.
        assertThat(production).noneMatch(e -> e.matches("(kafka|scala)/.*\\.class")
                || e.startsWith("org/apache/kafka/raft/") || e.startsWith("org/apache/kafka/metadata/"));
        System.out.printf("rollcall.jar %,d bytes, rollcall-no-broker.jar %,d bytes%n", Files.size(FULL), Files.size(NO_BROKER));
    }

    @Test
    void theProductionJarRefusesToServeWithoutACluster() throws Exception {
        Process serve = start(NO_BROKER, Map.of("DATA_DIR", dir.toString()), "serve");

        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve exits").isTrue();
        assertThat(serve.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("serve.log"))).contains("serve: this build of Rollcall has no in-process"
                + " Kafka broker (rollcall-no-broker.jar, the production image). Set KAFKA_BOOTSTRAP_SERVERS to the Kafka"
                + " cluster, or run the full rollcall.jar.");
        assertThat(dir.resolve("kafka")).doesNotExist();
    }

    @Test
    void theFullJarServesEverythingInOneProcessWithItsOwnBroker() throws Exception {
        int port = freePort();
        Process serve = start(FULL, Map.of("DATA_DIR", dir.toString(), "PORT", Integer.toString(port),
                "MANAGEMENT_PORT", Integer.toString(freePort())), "serve");
        try {
            HttpResponse<String> health = awaitOk(serve, "http://127.0.0.1:" + port + "/api/health");
            assertThat(health.body()).contains("\"status\":\"healthy\"", "\"model_loaded\":true", "\"kafka\":true");
            assertThat(dir.resolve("kafka/log/meta.properties")).isRegularFile();
        } finally {
            stop(serve);
        }
    }

    @Test
    void theProductionJarRunsAnIngressAgainstACluster() throws Exception {
        int port = freePort();
        int management = freePort();
        try (LocalKafkaBroker cluster = LocalKafkaBroker.start(dir.resolve("cluster"), 0)) {
            Process ingress = start(NO_BROKER, Map.of("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                    "PORT", Integer.toString(port), "MANAGEMENT_PORT", Integer.toString(management)), "ingress");
            try {
                awaitOk(ingress, "http://127.0.0.1:" + management + "/actuator/health/liveness");
                // An ingress without a worker is alive but not ready: the load balancer must not send it traffic.
                HttpResponse<String> readiness = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(readiness.body()).contains("no worker has reported in the last 30 s");
            } finally {
                stop(ingress);
            }
        }
    }

    private static boolean isNative(String entry) {
        return entry.matches(".*\\.(so(\\.\\d+)*|dll|dylib|jnilib|a)$");
    }

    private static List<String> entries(Path jar) throws IOException {
        assertThat(jar).as("built by package before integration tests").exists();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }

    private Process start(Path jar, Map<String, String> env, String command) throws IOException {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + Path.of("target", "tmp").toAbsolutePath(), "-jar", jar.toString(), command));
        ProcessBuilder builder = new ProcessBuilder(java).redirectErrorStream(true)
                .redirectOutput(dir.resolve(command + ".log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KAFKA_") || name.startsWith("DATABASE_"));
        builder.environment().put("MODELS_DIR", DevData.models().toString());
        builder.environment().put("INSIGHTFACE_MODEL", "dev");
        builder.environment().put("AUTO_DOWNLOAD_MODELS", "false");
        builder.environment().put("RATE_LIMIT_PER_MINUTE", "0");
        builder.environment().putAll(env);
        return builder.start();
    }

    private HttpResponse<String> awaitOk(Process process, String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("exited with " + process.exitValue() + ":\n" + logs());
            }
            try {
                last = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (last.statusCode() == 200) {
                    return last;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(url + " never answered 200 (last: " + (last == null ? "none" : last.statusCode() + " " + last.body())
                + "):\n" + logs());
    }

    private String logs() throws IOException {
        StringBuilder logs = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                logs.append(Files.readString(log));
            }
        }
        return logs.toString();
    }

    /** SIGTERM, as docker stop sends it: the JVM's shutdown hooks stop the service cleanly. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

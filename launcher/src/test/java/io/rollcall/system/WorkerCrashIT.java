package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.HttpLoad.Reply;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process is killed (SIGKILL) while requests are in flight. Every caller gets an answer or a clean
 * timeout error, never a hang or a 500, and every enrollment that was acknowledged is in the database and
 * recognised afterwards.
 */
class WorkerCrashIT {
    @TempDir
    Path dir;

    @Test
    void aKilledWorkerLosesNothingAcknowledgedAndLeavesNoCallerHanging() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Server h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", dir.resolve("h2").toString(), "-ifNotExists").start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/rollcall";
        Process external = null;
        try (RunningService service = new RunningService(dir, 1, Map.of("DATABASE_URL", url, "REQUEST_TIMEOUT_MS", "8000"))) {
            external = startExternalWorker(service, url);
            awaitWorkerServing(service, "worker-ext", external);

            String[][] people = {
                    {"S401", "angelina_jolie/02.jpg"}, {"S402", "kit_harington/01.jpg"}, {"S403", "tom_hanks/02.jpg"},
                    {"S404", "scarlett_johansson/02.jpg"}, {"S405", "elon_musk/02.jpg"}, {"S406", "jackie_chan/02.jpg"},
                    {"S407", "katy_perry/02.jpg"}, {"S408", "serena_williams/02.jpg"}};
            ExecutorService pool = Executors.newFixedThreadPool(people.length);
            List<Future<Reply>> replies = new ArrayList<>();
            for (String[] p : people) {
                replies.add(pool.submit(() -> service.http.post("/api/face/enroll", crashEnrollment(p[0], p[1]))));
            }
            Thread.sleep(300);
            external.destroyForcibly().waitFor();

            Set<String> acknowledged = new HashSet<>();
            for (int i = 0; i < people.length; i++) {
                Reply r = replies.get(i).get();
                assertThat(r.status()).as("enroll %s: %s", people[i][0], r.body()).isIn(200, 503, 504);
                if (r.status() == 200) {
                    acknowledged.add(people[i][0]);
                } else {
                    assertThat(r.body().path("error_code").asText()).isIn("REQUEST_TIMEOUT", "SERVICE_UNAVAILABLE");
                }
            }
            pool.shutdown();

            // The surviving worker takes over the dead one's partitions and serves everything.
            Reply list = awaitOk(service, "/api/face/list/student");
            Set<String> stored = new HashSet<>();
            list.body().path("faces").forEach(f -> stored.add(f.path("person_code").asText()));
            assertThat(stored).containsAll(acknowledged);
            for (String[] p : people) {
                if (acknowledged.contains(p[0])) {
                    Reply r = service.http.post("/api/face/recognize", Map.of("image_base64", RunningService.base64(p[1])));
                    assertThat(r.body().path("match").path("person_code").asText()).isEqualTo(p[0]);
                }
            }
        } finally {
            if (external != null) {
                external.destroyForcibly();
            }
            h2.stop();
        }
    }

    /** Distinct people on purpose: a near-duplicate face must not turn an acknowledged enrollment into a 409. */
    private static Map<String, Object> crashEnrollment(String code, String photo) {
        Map<String, Object> body = new LinkedHashMap<>(RunningService.studentEnrollment(code, photo));
        body.put("allow_duplicate", true);
        return body;
    }

    /**
     * The production jar (the image's: no in-process broker) as a separate JVM, so that it can really be killed; this
     * test runs after {@code package} (failsafe) for that reason.
     */
    private static Process startExternalWorker(RunningService service, String url) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-modules") || a.startsWith("--enable-native-access") || a.startsWith("-Djava.io.tmpdir"))
                .toList());
        Path jar = Path.of("target", "rollcall-no-broker.jar");
        assertThat(jar).as("the shaded jar, built by package before integration tests").exists();
        command.addAll(List.of("-Xmx768m", "-jar", jar.toString(), "worker"));
        Files.writeString(Path.of("target", "worker-ext.cmd"), String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "worker-ext.log").toFile());
        builder.environment().putAll(service.env);
        builder.environment().put("DATABASE_URL", url);
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", service.broker.bootstrapServers());
        // A worker joining a single broker, as on a one-broker cluster: one copy (the topics exist already anyway).
        builder.environment().put("KAFKA_REPLICATION_FACTOR", "1");
        builder.environment().put("WORKER_ID", "worker-ext");
        builder.environment().put("WORKER_PORT", "0");
        return builder.start();
    }

    private static void awaitWorkerServing(RunningService service, String worker, Process process) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(worker + " exited with " + process.exitValue() + ": "
                        + Files.readString(Path.of("target", "worker-ext.log")));
            }
            Reply r = service.http.get("/api/face/list/all");
            if (worker.equals(r.worker())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(worker + " never answered");
    }

    private static Reply awaitOk(RunningService service, String path) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Reply r = null;
        while (System.nanoTime() < deadline) {
            r = service.http.get(path);
            if (r.status() == 200) {
                return r;
            }
            Thread.sleep(500);
        }
        return r;
    }


}

package io.rollcall.broker;

import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;
import java.util.Map;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Another Rollcall process: a JVM of its own running a broker on a data directory. File locks belong to processes and
 * a crash is a process dying, so these are the honest ways to test two Rollcalls on one directory and a killed one.
 * <ul>
 *   <li>{@code start <dir>}: tries to start, prints {@code STARTED} or the refusal's reason and message, exits.</li>
 *   <li>{@code serve <dir> <topic> <key> <value>}: starts, creates the topic, produces one record (acknowledged),
 *       prints {@code READY} and runs until killed.</li>
 * </ul>
 */
final class OtherRollcallProcess {

    private OtherRollcallProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("start")) {
            try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir, 0)) {
                System.out.print("STARTED " + broker.port());
            } catch (BrokerStartException e) {
                System.out.print(e.reason() + " " + e.getMessage());
            }
            return;
        }
        LocalKafkaBroker broker = LocalKafkaBroker.start(dir, 0);
        KafkaClients props = new KafkaClients(broker.bootstrapServers());
        try (Admin admin = Admin.create(props.admin())) {
            KafkaTopics.createMissing(admin, List.of(new Topics.TopicSpec(args[2], 1, (short) 1, Map.of())), Duration.ofSeconds(30));
        }
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(props)) {
            producer.send(new ProducerRecord<>(args[2], args[3], args[4].getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Runs {@code start} in a new JVM and returns what it printed. */
    static String tryToStart(Path dataDir) throws IOException, InterruptedException {
        Process process = launch("start", dataDir.toString());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the other Rollcall process did not finish in 60 s");
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Runs {@code serve} in a new JVM, waits for its record to be acknowledged, then kills it as SIGKILL would. */
    static void serveAndKill(Path dataDir, String topic, String key, String value) throws IOException, InterruptedException {
        Process process = launch("serve", dataDir.toString(), topic, key, value);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            if (!"READY".equals(line)) {
                throw new IllegalStateException("the other Rollcall process printed " + line + " instead of READY");
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process launch(String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), OtherRollcallProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}

package io.rollcall.cli;

import io.rollcall.broker.LocalKafkaBroker;
import io.rollcall.config.EnvSettings;
import io.rollcall.config.Variables;
import io.rollcall.ingress.IngressApplication;
import io.rollcall.worker.WorkerApplication;
import io.rollcall.worker.WorkerConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;

/**
 * The whole service in one process: an in-process Kafka broker with its log under {@code DATA_DIR/kafka} (unless
 * {@code KAFKA_BOOTSTRAP_SERVERS} names a real cluster), a worker, and the HTTP ingress on {@code PORT}, with health
 * and metrics on {@code MANAGEMENT_PORT}: the worker has no web server of its own here, and its metrics (registered
 * on Micrometer's global registry) and its readiness (through its heartbeats) show on the ingress's. The embedded
 * database also lives under {@code DATA_DIR} unless {@code DATABASE_URL} names another, so everything survives a
 * restart.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run everything in one process: embedded Kafka broker and database under DATA_DIR, a worker, and the HTTP API on PORT.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        WorkerConfig config = WorkerConfig.from(env, null);
        LocalKafkaBroker broker = null;
        String bootstrap = config.kafkaBootstrapServers();
        if (bootstrap == null) {
            if (!brokerIncluded()) {
                System.err.println("serve: this build of Rollcall has no in-process Kafka broker (rollcall-no-broker.jar,"
                        + " the production image). Set " + Variables.KAFKA_BOOTSTRAP_SERVERS.name() + " to the Kafka cluster,"
                        + " or run the full rollcall.jar.");
                return 2;
            }
            // KAFKA_PORT fixes the in-process broker's port, so that more workers can join it; else any free port.
            int port = (int) new EnvSettings(env).integer(Variables.KAFKA_PORT, 0);
            broker = LocalKafkaBroker.start(config.dataDir().resolve("kafka"), port);
            bootstrap = broker.bootstrapServers();
        }
        ConfigurableApplicationContext worker = WorkerApplication.start(env, bootstrap, false);
        ConfigurableApplicationContext ingress = IngressApplication.start(env, bootstrap);
        log.info("Rollcall is serving on port {}, health and metrics on port {} (data in {})",
                ingress.getEnvironment().getProperty("local.server.port"),
                ingress.getEnvironment().getProperty("local.management.port"), config.dataDir());
        CountDownLatch stopped = new CountDownLatch(1);
        LocalKafkaBroker ownedBroker = broker;
        // Stop in reverse order: no new HTTP requests, then finish in-flight work, then the broker.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ingress.close();
            worker.close();
            if (ownedBroker != null) {
                ownedBroker.close();
            }
            stopped.countDown();
        }, "rollcall-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * Whether the Kafka broker's classes are in this jar: the production jar leaves them out (see launcher/pom.xml).
     * Asked by name, without touching {@link LocalKafkaBroker}, whose loading would fail without them.
     */
    static boolean brokerIncluded() {
        try {
            Class.forName("kafka.server.KafkaRaftServer", false, ServeCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

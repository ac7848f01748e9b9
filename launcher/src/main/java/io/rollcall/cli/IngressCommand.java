package io.rollcall.cli;

import io.rollcall.ingress.IngressApplication;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The HTTP ingress alone, against the Kafka cluster in {@code KAFKA_BOOTSTRAP_SERVERS}. */
@Command(name = "ingress", mixinStandardHelpOptions = true,
        description = "Run the HTTP ingress alone (needs KAFKA_BOOTSTRAP_SERVERS).")
final class IngressCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        IngressApplication.start(System.getenv(), null);
        return ServeLoop.untilShutdown();
    }
}

package io.rollcall.cli;

import io.rollcall.worker.WorkerApplication;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** One inference worker, against {@code KAFKA_BOOTSTRAP_SERVERS} and {@code DATABASE_URL}; scale by running more. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run one inference worker (needs KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL); health and metrics on WORKER_PORT.")
final class WorkerCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        WorkerApplication.start(System.getenv(), null, true);
        return ServeLoop.untilShutdown();
    }
}

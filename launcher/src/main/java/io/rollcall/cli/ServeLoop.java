package io.rollcall.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a server command's main thread alive; Spring's own shutdown hook closes the application. */
final class ServeLoop {
    private ServeLoop() {
    }

    static int untilShutdown() {
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
        try {
            forever.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}

package io.rollcall.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Creates ORT sessions (and, with the first, the process's ORT environment) on a thread of their own, for the two
 * reasons below; {@link OnnxModel#load} is its one caller.
 */
final class SessionLoader {
    private SessionLoader() {
    }

    /**
     * ORT also sets flush-to-zero, for good, on the thread that creates the process's first session
     * ({@code std::call_once}). That must not be one of ours: Java arithmetic on it would silently lose IEEE
     * denormals. A thread that ends right after takes the mode with it.
     *
     * <p>The thread also creates the process's ORT environment (the first {@code getEnvironment()}), and that needs a
     * stack that grows with the command line; see {@link #loaderStackBytes()}.
     */
    static OrtSession create(byte[] model, OrtSession.SessionOptions options) throws OrtException {
        FutureTask<OrtSession> create = new FutureTask<>(() -> OrtEnvironment.getEnvironment().createSession(model, options));
        Thread.ofPlatform().name("onnx-session-loader").stackSize(loaderStackBytes()).start(create);
        try {
            return create.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading a model", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OrtException ort) {
                throw ort;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stack of a platform thread that creates the ORT environment, before the part that grows with the command line. */
    private static final long LOADER_STACK_BASE = 8L << 20;
    /** Measured: 256 bytes of stack per byte of {@code /proc/self/cmdline} (three recursive frames); twice that. */
    private static final long LOADER_STACK_PER_COMMAND_LINE_BYTE = 512;

    /**
     * A stack for the thread that creates the ORT environment. While creating it, ORT 1.29 on Linux (its telemetry,
     * {@code onnxruntime::PosixTelemetry}, 1DS) reads {@code /proc/self/cmdline} to find an "appId" and matches it
     * against the std::regex {@code (.*)[ ]*.*[\n]*}. libstdc++'s regex executor recurses once per character it
     * consumes, 256 bytes of stack each, so the default 1 MiB Java thread stack is used up by a command line
     * (program, JVM options and arguments; not the environment) of about 3,980 bytes: the thread runs into the JVM's
     * guard pages, the kernel finds no stack to run the JVM's signal handler on and kills the process with SIGSEGV,
     * without an hs_err file. A thread's stack is reserved address space; pages cost memory only once touched.
     */
    static long loaderStackBytes() {
        long commandLine;
        try {
            commandLine = Files.readAllBytes(Path.of("/proc/self/cmdline")).length;
        } catch (IOException | RuntimeException e) {
            commandLine = 0; // no /proc (not Linux): then ORT cannot read it either
        }
        return LOADER_STACK_BASE + LOADER_STACK_PER_COMMAND_LINE_BYTE * commandLine;
    }
}

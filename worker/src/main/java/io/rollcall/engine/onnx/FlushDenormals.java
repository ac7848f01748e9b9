package io.rollcall.engine.onnx;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs inference with the CPU in flush-to-zero / denormals-are-zero mode on the calling thread, and restores the
 * thread's previous mode afterwards.
 *
 * <p>Why: on Intel x86 each operation on a denormal float takes a microcode assist of about a hundred cycles.
 * Recognizer activations underflow into denormals often enough that one embedding with the dev pack took 17 ms
 * instead of 9 ms on a Xeon even after {@link DenormalWeights} removed the denormal weights. ONNX Runtime's
 * {@code session.set_denormal_as_zero} only reaches its own pool threads (and, once per process, the thread that
 * opens the first session); with one intra-op thread every inference runs on the caller's thread, which is ours.
 * The mode is set only around {@code OrtSession.run}, so Java code on the thread keeps IEEE semantics.
 *
 * <p>How: x86-64 keeps the mode in MXCSR (bit 15 FTZ, bit 6 DAZ). C has no portable call for it, but glibc and
 * musl both expose it as the last 32-bit word (offset 28) of {@code fenv_t}, read and written with
 * {@code fegetenv}/{@code fesetenv}, which we call through the Foreign Function API. Anywhere else (another CPU,
 * another libc, or a check that fails at start) this is a no-op and only {@link DenormalWeights} applies.
 */
final class FlushDenormals {
    private static final Logger log = LoggerFactory.getLogger(FlushDenormals.class);
    private static final int FTZ_DAZ = 0x8040;
    private static final long FENV_SIZE = 32;
    private static final long MXCSR_OFFSET = 28;
    @SuppressWarnings("FieldMayBeFinal")
    private static volatile float probeDenormal = Float.MIN_NORMAL / 4;
    @SuppressWarnings("FieldMayBeFinal")
    private static volatile float probeOne = 1.0f;
    private static final Optional<FlushDenormals> INSTANCE = probe();

    private final MethodHandle fegetenv;
    private final MethodHandle fesetenv;
    private final ThreadLocal<MemorySegment> environment = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(FENV_SIZE));

    private FlushDenormals(MethodHandle fegetenv, MethodHandle fesetenv) {
        this.fegetenv = fegetenv;
        this.fesetenv = fesetenv;
    }

    /** Something ORT does on this thread. */
    @FunctionalInterface
    interface Inference<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code inference} with denormals flushed where the platform allows, else as it is. */
    static <T, E extends Exception> T around(Inference<T, E> inference) throws E {
        return INSTANCE.isPresent() ? INSTANCE.get().flushing(inference) : inference.run();
    }

    /** Whether inferences on this machine run with denormals flushed (for the benchmark report). */
    static boolean active() {
        return INSTANCE.isPresent();
    }

    private <T, E extends Exception> T flushing(Inference<T, E> inference) throws E {
        MemorySegment env = environment.get();
        get(env);
        int before = env.get(ValueLayout.JAVA_INT, MXCSR_OFFSET);
        env.set(ValueLayout.JAVA_INT, MXCSR_OFFSET, before | FTZ_DAZ);
        set(env);
        try {
            return inference.run();
        } finally {
            env.set(ValueLayout.JAVA_INT, MXCSR_OFFSET, before);
            set(env);
        }
    }

    private void get(MemorySegment env) {
        try {
            if ((int) fegetenv.invokeExact(env) != 0) {
                throw new IllegalStateException("fegetenv failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private void set(MemorySegment env) {
        try {
            if ((int) fesetenv.invokeExact(env) != 0) {
                throw new IllegalStateException("fesetenv failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Looks the functions up and proves on this thread that the word at offset 28 really is MXCSR: with it set, a
     * denormal times one must come out as zero, and after restoring, as itself.
     */
    private static Optional<FlushDenormals> probe() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!(arch.equals("amd64") || arch.equals("x86_64")) || !os.contains("linux")) {
            return Optional.empty();
        }
        try {
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor signature = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
            Optional<MemorySegment> get = linker.defaultLookup().find("fegetenv");
            Optional<MemorySegment> set = linker.defaultLookup().find("fesetenv");
            if (get.isEmpty() || set.isEmpty()) {
                return Optional.empty();
            }
            FlushDenormals candidate = new FlushDenormals(linker.downcallHandle(get.get(), signature),
                    linker.downcallHandle(set.get(), signature));
            float flushed = candidate.flushing(FlushDenormals::denormalTimesOne);
            float kept = denormalTimesOne();
            if (flushed == 0.0f && kept != 0.0f) {
                return Optional.of(candidate);
            }
            log.warn("Denormal flushing is unavailable here (the probe saw {} and {}); inference may be slower on Intel CPUs",
                    flushed, kept);
        } catch (RuntimeException | LinkageError e) {
            log.warn("Denormal flushing is unavailable here: {}", e.toString());
        }
        return Optional.empty();
    }

    /**
     * A denormal multiplied by one. Both operands are read from volatile fields so that neither javac nor the JIT
     * can fold the product; the multiplication is an SSE instruction that obeys MXCSR.
     */
    private static float denormalTimesOne() {
        return probeDenormal * probeOne;
    }
}

package io.rollcall.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session for one model file, shared by every thread of the process (ORT sessions are
 * thread-safe for {@code run}). Outputs are kept in their declared order because SCRFD exports name them with
 * opaque numbers ("443", "446", ...) whose sorted order is not the stride order.
 */
public final class OnnxModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OnnxModel.class);
    private final Path file;
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;
    private final List<String> outputNames;
    private final List<long[]> declaredOutputShapes;
    /** Time spent inside ORT's run, so benchmarks can tell model time from our own pre- and post-processing. */
    private final LongAdder inferenceNanos = new LongAdder();

    private OnnxModel(Path file, OrtSession session) throws OrtException {
        this.file = file;
        this.session = session;
        Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
        this.inputName = input.getKey();
        this.inputShape = ((TensorInfo) input.getValue().getInfo()).getShape();
        this.outputNames = List.copyOf(new ArrayList<>(session.getOutputNames()));
        List<long[]> declared = new ArrayList<>();
        for (NodeInfo info : session.getOutputInfo().values()) {
            declared.add(info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0]);
        }
        this.declaredOutputShapes = List.copyOf(declared);
    }

    /**
     * Opens a session. A missing, truncated or corrupt file becomes {@code MODEL_NOT_LOADED} naming the file,
     * never a crash: ORT reports protobuf parse failures as {@link OrtException}.
     *
     * @param intraOpThreads threads ORT may use inside one operator; the engine's concurrency limit keeps
     *                       (concurrent runs × this) at or below the cores
     */
    public static OnnxModel load(Path file, int intraOpThreads) {
        if (!Files.isRegularFile(file)) {
            throw notLoaded(file, "model file not found: " + file, null);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // SCRFD declares output shapes for a 640 input; ORT warns on every other size although the graph is dynamic.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            // Idle ORT threads otherwise spin for a while after each run, stealing a core from image decoding
            // and from the other in-flight request on a 2-core machine.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            byte[] bytes = Files.readAllBytes(file);
            int flushed = DenormalWeights.flush(bytes);
            if (flushed > 0) {
                log.info("{}: {} denormal weights set to zero (they slow every inference on Intel CPUs)", file.getFileName(), flushed);
            }
            // ORT's pool threads (INFERENCE_THREADS > 1) then flush denormals too; the calling thread is
            // FlushDenormals' job.
            options.addConfigEntry("session.set_denormal_as_zero", "1");
            return new OnnxModel(file, SessionLoader.create(bytes, options));
        } catch (IOException e) {
            throw notLoaded(file, "model file " + file.getFileName() + " could not be read: " + e.getMessage(), e);
        } catch (OrtException | RuntimeException e) {
            throw notLoaded(file, "model file " + file.getFileName() + " could not be loaded (corrupt, truncated or not an ONNX model): "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static RollcallException notLoaded(Path file, String message, Throwable cause) {
        return new RollcallException(ErrorCode.MODEL_NOT_LOADED, message, Map.of("file", file.toString()), cause);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public Path file() {
        return file;
    }

    /** The declared input shape; -1 marks a dynamic dimension. */
    public long[] inputShape() {
        return inputShape.clone();
    }

    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * Runs the model on one float tensor and returns every output, flattened, in declared order.
     */
    public float[][] run(FloatBuffer input, long[] shape) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
             OrtSession.Result result = timedRun(tensor)) {
            float[][] outputs = new float[outputNames.size()][];
            for (int i = 0; i < outputs.length; i++) {
                OnnxTensor out = (OnnxTensor) result.get(i);
                FloatBuffer buffer = out.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                outputs[i] = values;
            }
            return outputs;
        } catch (OrtException e) {
            throw new RollcallException(ErrorCode.INTERNAL_ERROR,
                    "inference failed in " + file.getFileName() + ": " + firstLine(e.getMessage()), Map.of(), e);
        }
    }

    /**
     * Pre-allocates the input and output tensors of one input shape in direct (native-order) memory. Reusing a
     * binding saves a copy of the input into fresh native memory and of every output back out: for a 640×640
     * detector pass that is about 4 ms of a 30 ms photo on two cores. Output shapes are learnt from one run on the
     * zeroed input, since dynamic models declare them only symbolically.
     */
    public Binding bind(long[] inputShape) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> created = new ArrayList<>();
        try {
            FloatBuffer input = directFloats(elements(inputShape));
            OnnxTensor inputTensor = OnnxTensor.createTensor(env, input, inputShape);
            created.add(inputTensor);
            long[][] shapes = new long[outputNames.size()][];
            try (OrtSession.Result probe = session.run(Map.of(inputName, inputTensor))) {
                for (int i = 0; i < shapes.length; i++) {
                    shapes[i] = ((TensorInfo) probe.get(i).getInfo()).getShape();
                }
            }
            // ORT checks pinned outputs against the declared output shapes, and SCRFD exports declare those of a
            // 640 input; other sizes get ORT-allocated outputs copied into the same buffers (small ones, at 128).
            boolean pinnable = true;
            for (int i = 0; i < shapes.length; i++) {
                pinnable &= matchesDeclared(shapes[i], declaredOutputShapes.get(i));
            }
            FloatBuffer[] outputs = new FloatBuffer[shapes.length];
            Map<String, OnnxTensor> pinned = new java.util.LinkedHashMap<>();
            for (int i = 0; i < shapes.length; i++) {
                outputs[i] = directFloats(elements(shapes[i]));
                if (pinnable) {
                    OnnxTensor t = OnnxTensor.createTensor(env, outputs[i], shapes[i]);
                    created.add(t);
                    pinned.put(outputNames.get(i), t);
                }
            }
            return new Binding(input, Map.of(inputName, inputTensor), pinnable ? pinned : null, outputs, created);
        } catch (OrtException e) {
            created.forEach(OnnxTensor::close);
            throw new RollcallException(ErrorCode.INTERNAL_ERROR,
                    "cannot prepare " + file.getFileName() + " for input " + java.util.Arrays.toString(inputShape) + ": " + firstLine(e.getMessage()), Map.of(), e);
        }
    }

    /** Input and output tensors of one shape, bound to this model; used by one thread at a time. */
    public final class Binding implements AutoCloseable {
        private final FloatBuffer input;
        private final Map<String, OnnxTensor> inputs;
        private final Map<String, OnnxTensor> outputs;
        private final FloatBuffer[] outputBuffers;
        private final List<OnnxTensor> tensors;

        private Binding(FloatBuffer input, Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> outputs,
                        FloatBuffer[] outputBuffers, List<OnnxTensor> tensors) {
            this.input = input;
            this.inputs = inputs;
            this.outputs = outputs;
            this.outputBuffers = outputBuffers;
            this.tensors = tensors;
        }

        /** The input tensor's memory: write it with absolute puts, then {@link #run()}. */
        public FloatBuffer input() {
            return input;
        }

        /** Output {@code i} (declared order) of the last run; read with absolute gets. */
        public FloatBuffer output(int i) {
            return outputBuffers[i];
        }

        public int outputCount() {
            return outputBuffers.length;
        }

        public void run() {
            long start = System.nanoTime();
            // Pinned outputs belong to this binding, not to the Result, so closing the Result leaves them intact.
            try (OrtSession.Result result = FlushDenormals.around(() -> outputs != null ? session.run(inputs, outputs) : session.run(inputs))) {
                inferenceNanos.add(System.nanoTime() - start);
                if (outputs == null) {
                    for (int i = 0; i < outputBuffers.length; i++) {
                        outputBuffers[i].put(0, ((OnnxTensor) result.get(i)).getFloatBuffer(), 0, outputBuffers[i].capacity());
                    }
                }
            } catch (OrtException e) {
                throw new RollcallException(ErrorCode.INTERNAL_ERROR,
                        "inference failed in " + file.getFileName() + ": " + firstLine(e.getMessage()), Map.of(), e);
            }
        }

        @Override
        public void close() {
            tensors.forEach(OnnxTensor::close);
        }
    }

    private static boolean matchesDeclared(long[] actual, long[] declared) {
        if (actual.length != declared.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (declared[i] >= 0 && declared[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    private static FloatBuffer directFloats(long count) {
        if (count > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("tensor too large: " + count + " values");
        }
        return ByteBuffer.allocateDirect((int) count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape has a dynamic dimension: " + java.util.Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    private OrtSession.Result timedRun(OnnxTensor tensor) throws OrtException {
        long start = System.nanoTime();
        try {
            return FlushDenormals.around(() -> session.run(Map.of(inputName, tensor)));
        } finally {
            inferenceNanos.add(System.nanoTime() - start);
        }
    }

    /** Total nanoseconds spent in ORT {@code run} since this session was opened, over all threads. */
    public long inferenceNanos() {
        return inferenceNanos.sum();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX session for " + file, e);
        }
    }
}

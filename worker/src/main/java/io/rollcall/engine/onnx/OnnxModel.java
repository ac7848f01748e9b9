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
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One ONNX Runtime session for one model file, shared by every thread of the process (ORT sessions are
 * thread-safe for {@code run}). Outputs are kept in their declared order because SCRFD exports name them with
 * opaque numbers ("443", "446", ...) whose sorted order is not the stride order.
 */
public final class OnnxModel implements AutoCloseable {
    private final Path file;
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;
    private final List<String> outputNames;
    /** Time spent inside ORT's run, so benchmarks can tell model time from our own pre- and post-processing. */
    private final LongAdder inferenceNanos = new LongAdder();

    private OnnxModel(Path file, OrtSession session) throws OrtException {
        this.file = file;
        this.session = session;
        Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
        this.inputName = input.getKey();
        this.inputShape = ((TensorInfo) input.getValue().getInfo()).getShape();
        this.outputNames = List.copyOf(new ArrayList<>(session.getOutputNames()));
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
            OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), options);
            return new OnnxModel(file, session);
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

    private OrtSession.Result timedRun(OnnxTensor tensor) throws OrtException {
        long start = System.nanoTime();
        try {
            return session.run(Map.of(inputName, tensor));
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

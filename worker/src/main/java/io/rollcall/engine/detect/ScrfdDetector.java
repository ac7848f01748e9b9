package io.rollcall.engine.detect;

import io.rollcall.engine.model.ModelPack.InputSpec;
import io.rollcall.engine.onnx.OnnxModel;
import io.rollcall.engine.onnx.PixelTensors;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * SCRFD face detector, decoded as InsightFace's {@code model_zoo/scrfd.py} does: keep-aspect resize into a
 * zero-padded square, anchor centres on strides 8/16/32 with two anchors per cell, distance decoding of boxes
 * and five keypoints. Unlike the Python package this runs at several input sizes and merges all candidates
 * with one NMS, so both tightly cropped and small faces are found.
 */
public final class ScrfdDetector implements AutoCloseable {
    private static final int[] STRIDES = {8, 16, 32};
    private static final int ANCHORS_PER_CELL = 2;

    private final OnnxModel model;
    private final InputSpec input;
    private final DetectorSettings settings;
    /** Reusable bound tensors per input size, so a detection pass allocates and copies nothing. */
    private final Map<Integer, Queue<OnnxModel.Binding>> bindings = new ConcurrentHashMap<>();

    public ScrfdDetector(OnnxModel model, InputSpec input, DetectorSettings settings) {
        int outputs = model.outputNames().size();
        if (outputs != 3 * STRIDES.length) {
            throw new RollcallException(ErrorCode.MODEL_NOT_LOADED,
                    "detector " + model.file().getFileName() + " has " + outputs
                            + " outputs; an SCRFD model with keypoints has 9 (scores, boxes, keypoints for strides 8/16/32)");
        }
        this.model = model;
        this.input = input;
        this.settings = settings;
        for (int size : settings.inputSizes()) {
            bindings.put(size, new ConcurrentLinkedQueue<>());
        }
    }

    public DetectorSettings settings() {
        return settings;
    }

    /**
     * Detects every face in a BGR image.
     *
     * @return faces sorted by box area, largest first
     */
    public List<DetectedFace> detect(Mat bgr) {
        List<DetectedFace> candidates = new ArrayList<>();
        for (int side : settings.inputSizes()) {
            detectAt(bgr, side, candidates);
        }
        candidates.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
        List<DetectedFace> kept = NonMaximumSuppression.apply(candidates, settings.nmsThreshold());
        kept.sort(Comparator.comparingDouble((DetectedFace f) -> f.box().area()).reversed());
        return kept;
    }

    private void detectAt(Mat bgr, int side, List<DetectedFace> out) {
        int h = bgr.rows();
        int w = bgr.cols();
        // Same arithmetic (float64, truncation) as scrfd.py so that boxes agree with the reference to the pixel.
        double imRatio = (double) h / w;
        int newW;
        int newH;
        if (imRatio > 1.0) {
            newH = side;
            newW = (int) (newH / imRatio);
        } else {
            newW = side;
            newH = (int) (newW * imRatio);
        }
        newW = Math.max(1, newW);
        newH = Math.max(1, newH);
        double detScale = (double) newH / h;

        OnnxModel.Binding binding = acquire(side);
        try {
            try (Mat resized = new Mat(); Size size = new Size(newW, newH)) {
                opencv_imgproc.resize(bgr, resized, size, 0, 0, opencv_imgproc.INTER_LINEAR);
                PixelTensors.letterbox(resized, side, input, binding.input());
            }
            binding.run();
            float threshold = settings.scoreThreshold();
            for (int level = 0; level < STRIDES.length; level++) {
                decodeLevel(binding, level, side, (float) detScale, threshold, out);
            }
        } finally {
            bindings.get(side).offer(binding);
        }
    }

    /** A free binding for this input size; there are never more than the callers detecting at once. */
    private OnnxModel.Binding acquire(int side) {
        OnnxModel.Binding free = bindings.get(side).poll();
        return free != null ? free : model.bind(new long[] {1, 3, side, side});
    }

    /** Releases the bound tensors; the model itself belongs to the caller. */
    @Override
    public void close() {
        bindings.values().forEach(q -> {
            for (OnnxModel.Binding b; (b = q.poll()) != null; ) {
                b.close();
            }
        });
    }

    private static void decodeLevel(OnnxModel.Binding outputs, int level, int side, float detScale, float threshold,
                                    List<DetectedFace> out) {
        int stride = STRIDES[level];
        int cells = side / stride;
        FloatBuffer scores = outputs.output(level);
        FloatBuffer boxes = outputs.output(level + STRIDES.length);
        FloatBuffer kps = outputs.output(level + 2 * STRIDES.length);
        int anchors = cells * cells * ANCHORS_PER_CELL;
        if (scores.capacity() != anchors || boxes.capacity() != anchors * 4 || kps.capacity() != anchors * 10) {
            throw new RollcallException(ErrorCode.MODEL_NOT_LOADED, "detector output sizes do not match SCRFD anchors at stride "
                    + stride + " (" + scores.capacity() + " scores for " + anchors + " anchors)");
        }
        for (int a = 0; a < anchors; a++) {
            float score = scores.get(a);
            if (score < threshold) {
                continue;
            }
            int cell = a / ANCHORS_PER_CELL;
            float cx = (cell % cells) * stride;
            float cy = (cell / cells) * stride;
            int b = a * 4;
            BoundingBox box = new BoundingBox(
                    (cx - boxes.get(b) * stride) / detScale,
                    (cy - boxes.get(b + 1) * stride) / detScale,
                    (cx + boxes.get(b + 2) * stride) / detScale,
                    (cy + boxes.get(b + 3) * stride) / detScale);
            List<Point> points = new ArrayList<>(DetectedFace.KEYPOINTS);
            int k = a * 10;
            for (int p = 0; p < DetectedFace.KEYPOINTS; p++) {
                points.add(new Point((cx + kps.get(k + 2 * p) * stride) / detScale, (cy + kps.get(k + 2 * p + 1) * stride) / detScale));
            }
            out.add(new DetectedFace(box, score, points));
        }
    }
}

package io.rollcall.engine.embed;

import io.rollcall.engine.model.ModelPack.InputSpec;
import io.rollcall.engine.onnx.OnnxModel;
import io.rollcall.engine.onnx.PixelTensors;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * ArcFace-style recognizer: aligned 112×112 crops in, L2-normalised embeddings out. Faces of one image go through
 * in one batch when the model's batch dimension is dynamic (InsightFace's recognizers); models exported with a
 * fixed batch of 1 run face by face.
 */
public final class ArcFaceEmbedder {
    private final OnnxModel model;
    private final InputSpec input;
    private final int dimension;
    private final boolean dynamicBatch;

    public ArcFaceEmbedder(OnnxModel model, InputSpec input, int dimension) {
        long[] shape = model.inputShape();
        if (shape.length != 4 || shape[1] != 3 || shape[2] != input.size() || shape[3] != input.size()) {
            throw new RollcallException(ErrorCode.MODEL_NOT_LOADED, "recognizer " + model.file().getFileName()
                    + " expects input " + java.util.Arrays.toString(shape) + ", not [N,3," + input.size() + "," + input.size() + "]");
        }
        this.model = model;
        this.input = input;
        this.dimension = dimension;
        this.dynamicBatch = shape[0] < 0;
    }

    public int dimension() {
        return dimension;
    }

    public List<float[]> embed(List<Mat> alignedCrops) {
        List<float[]> result = new ArrayList<>(alignedCrops.size());
        if (alignedCrops.isEmpty()) {
            return result;
        }
        if (dynamicBatch) {
            float[] out = run(alignedCrops);
            for (int i = 0; i < alignedCrops.size(); i++) {
                result.add(normalised(out, i * dimension));
            }
        } else {
            for (Mat crop : alignedCrops) {
                result.add(normalised(run(List.of(crop)), 0));
            }
        }
        return result;
    }

    private float[] run(List<Mat> crops) {
        int side = input.size();
        float[] out = model.run(PixelTensors.batch(crops, side, input), new long[] {crops.size(), 3, side, side})[0];
        if (out.length != crops.size() * dimension) {
            throw new RollcallException(ErrorCode.MODEL_NOT_LOADED, "recognizer " + model.file().getFileName() + " produced "
                    + out.length / crops.size() + " values per face; the pack declares " + dimension);
        }
        return out;
    }

    private float[] normalised(float[] values, int offset) {
        double sum = 0;
        for (int i = 0; i < dimension; i++) {
            sum += (double) values[offset + i] * values[offset + i];
        }
        double inv = sum > 0 ? 1.0 / Math.sqrt(sum) : 0.0;
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) (values[offset + i] * inv);
        }
        return v;
    }
}

package io.rollcall.engine.onnx;

import io.rollcall.engine.model.ModelPack.ColourOrder;
import io.rollcall.engine.model.ModelPack.InputSpec;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns 8-bit BGR images into NCHW float tensors: {@code (pixel - mean) / std} per channel, in the model's
 * colour order. This is what OpenCV's {@code blobFromImage(..., swapRB)} does for InsightFace models.
 */
public final class PixelTensors {
    private PixelTensors() {
    }

    /**
     * Writes {@code image} at the top-left of a {@code side}×{@code side} NCHW tensor whose padding is black pixels
     * (value 0 before normalisation), as InsightFace's detector input is built.
     *
     * @param tensor direct buffer of 3·side·side floats, written with absolute puts
     */
    public static void letterbox(Mat image, int side, InputSpec spec, FloatBuffer tensor) {
        int w = image.cols();
        int h = image.rows();
        checkFits(image, side);
        if (!tensor.isDirect() || tensor.capacity() != 3 * side * side) {
            throw new IllegalArgumentException("letterbox needs a direct buffer of 3x" + side + "x" + side + " floats");
        }
        int plane = side * side;
        float pad = (0f - spec.mean()) / spec.std();
        // Padding: the columns right of the image and the rows below it, in each plane.
        float[] padRow = new float[side];
        Arrays.fill(padRow, pad);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h && w < side; y++) {
                tensor.put(c * plane + y * side + w, padRow, 0, side - w);
            }
            for (int y = h; y < side; y++) {
                tensor.put(c * plane + y * side, padRow, 0, side);
            }
        }
        // Pixels: OpenCV normalises and de-interleaves natively, straight into the tensor's planes. mixChannels
        // writes into the given (pre-allocated) views and never reallocates them.
        int[] order = spec.colourOrder() == ColourOrder.RGB ? new int[] {2, 0, 1, 1, 0, 2} : new int[] {0, 0, 1, 1, 2, 2};
        try (Mat normalised = new Mat();
             FloatPointer base = new FloatPointer(tensor);
             MatVector sources = new MatVector(1);
             MatVector planes = new MatVector(3);
             IntPointer fromTo = new IntPointer(order);
             Rect region = new Rect(0, 0, w, h)) {
            image.convertTo(normalised, opencv_core.CV_32F, 1.0 / spec.std(), -spec.mean() / spec.std());
            sources.put(0, normalised);
            Mat[] views = new Mat[3];
            try {
                for (int c = 0; c < 3; c++) {
                    try (Mat full = new Mat(side, side, opencv_core.CV_32FC1, base.getPointer(FloatPointer.class, (long) c * plane))) {
                        views[c] = full.apply(region);
                    }
                    planes.put(c, views[c]);
                }
                opencv_core.mixChannels(sources, planes, fromTo);
            } finally {
                for (Mat v : views) {
                    if (v != null) {
                        v.close();
                    }
                }
            }
        }
    }

    /** Stacks same-sized images (aligned faces) into one batch tensor. */
    public static FloatBuffer batch(List<Mat> images, int side, InputSpec spec) {
        int plane = 3 * side * side;
        float[] tensor = new float[plane * images.size()];
        for (int i = 0; i < images.size(); i++) {
            write(images.get(i), tensor, i * plane, side, spec);
        }
        return FloatBuffer.wrap(tensor);
    }

    private static void write(Mat image, float[] tensor, int offset, int side, InputSpec spec) {
        int w = image.cols();
        int h = image.rows();
        checkFits(image, side);
        byte[] pixels = pixels(image);
        int planeSize = side * side;
        // BGR storage: channel 2 is red. RGB models read it into plane 0.
        int first = spec.colourOrder() == ColourOrder.RGB ? 2 : 0;
        int last = 2 - first;
        float mean = spec.mean();
        float scale = 1f / spec.std();
        int p0 = offset;
        int p1 = offset + planeSize;
        int p2 = offset + 2 * planeSize;
        for (int y = 0; y < h; y++) {
            int row = y * side;
            int src = y * w * 3;
            for (int x = 0; x < w; x++, src += 3) {
                int dst = row + x;
                tensor[p0 + dst] = ((pixels[src + first] & 0xFF) - mean) * scale;
                tensor[p1 + dst] = ((pixels[src + 1] & 0xFF) - mean) * scale;
                tensor[p2 + dst] = ((pixels[src + last] & 0xFF) - mean) * scale;
            }
        }
    }

    private static void checkFits(Mat image, int side) {
        if (image.channels() != 3 || image.depth() != opencv_core.CV_8U
                || image.cols() > side || image.rows() > side) {
            throw new IllegalArgumentException("expected an 8-bit 3-channel image at most " + side + " pixels square, got "
                    + image.cols() + "x" + image.rows() + "x" + image.channels());
        }
    }

    private static byte[] pixels(Mat image) {
        byte[] pixels = new byte[image.cols() * image.rows() * 3];
        Mat source = image.isContinuous() ? image : image.clone();
        try {
            source.data().get(pixels);
        } finally {
            if (source != image) {
                source.close();
            }
        }
        return pixels;
    }
}

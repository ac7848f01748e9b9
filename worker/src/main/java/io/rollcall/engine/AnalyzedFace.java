package io.rollcall.engine;

import io.rollcall.engine.detect.DetectedFace;

/**
 * A detected face and, when it was asked for, its L2-normalised embedding.
 *
 * @param detection box, score and landmarks in original image pixels
 * @param embedding unit-length vector of the pack's dimension, or {@code null} when not computed
 */
public record AnalyzedFace(DetectedFace detection, float[] embedding) {
}

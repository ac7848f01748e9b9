package io.rollcall.storage;

import java.util.SplittableRandom;

/** Deterministic unit vectors standing in for a recognizer's output. */
final class TestEmbeddings {

    private TestEmbeddings() {
    }

    static float[] unit(long seed, int dim) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dim; i++) {
            v[i] *= scale;
        }
        return v;
    }

    static FaceDescriptor buffaloL(long seed) {
        return new FaceDescriptor("buffalo_l", unit(seed, 512));
    }
}

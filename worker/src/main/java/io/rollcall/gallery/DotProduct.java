package io.rollcall.gallery;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The search kernel: dot product of the query with one stored row, on the Vector API.
 *
 * <p>{@code SPECIES_PREFERRED} is the widest the CPU runs natively (16 floats with AVX-512, 8 with AVX2). Four
 * independent accumulators hide the latency of the fused multiply-add (4 cycles, 2 issued per cycle on current
 * x86 cores); with one, every FMA would wait for the previous. A 512-d row is 8 rounds of 4 vectors.
 */
final class DotProduct {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Bytes with as many lanes as {@link #SPECIES} (16 bytes for 16 floats): one load widens to one float vector. */
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / Float.BYTES));

    private DotProduct() {
    }

    /** Σ query[i] · rows[offset + i] for i in [0, query.length). */
    static float dot(float[] query, float[] rows, int offset) {
        int length = query.length;
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        FloatVector acc2 = FloatVector.zero(SPECIES);
        FloatVector acc3 = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = length - 4 * LANES; i <= bound; i += 4 * LANES) {
            acc0 = FloatVector.fromArray(SPECIES, query, i)
                    .fma(FloatVector.fromArray(SPECIES, rows, offset + i), acc0);
            acc1 = FloatVector.fromArray(SPECIES, query, i + LANES)
                    .fma(FloatVector.fromArray(SPECIES, rows, offset + i + LANES), acc1);
            acc2 = FloatVector.fromArray(SPECIES, query, i + 2 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, rows, offset + i + 2 * LANES), acc2);
            acc3 = FloatVector.fromArray(SPECIES, query, i + 3 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, rows, offset + i + 3 * LANES), acc3);
        }
        for (int bound = length - LANES; i <= bound; i += LANES) {
            acc0 = FloatVector.fromArray(SPECIES, query, i)
                    .fma(FloatVector.fromArray(SPECIES, rows, offset + i), acc0);
        }
        float sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        // Dimensions that are not a multiple of the vector width (rare: models emit 128 or 512) end scalar.
        for (; i < length; i++) {
            sum = Math.fma(query[i], rows[offset + i], sum);
        }
        return sum;
    }

    /**
     * Σ query[i] · codes[offset + i]: the first pass over the 8-bit rows, times the row's scale by the caller. Each
     * load of {@code LANES} bytes is widened to floats in registers (sign extension and conversion), so memory
     * traffic is a quarter of the float rows' while the arithmetic stays the float kernel's.
     */
    static float dot(float[] query, byte[] codes, int offset) {
        int length = query.length;
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = length - 2 * LANES; i <= bound; i += 2 * LANES) {
            acc0 = FloatVector.fromArray(SPECIES, query, i)
                    .fma(widen(codes, offset + i), acc0);
            acc1 = FloatVector.fromArray(SPECIES, query, i + LANES)
                    .fma(widen(codes, offset + i + LANES), acc1);
        }
        for (int bound = length - LANES; i <= bound; i += LANES) {
            acc0 = FloatVector.fromArray(SPECIES, query, i).fma(widen(codes, offset + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum = Math.fma(query[i], codes[offset + i], sum);
        }
        return sum;
    }

    private static FloatVector widen(byte[] codes, int offset) {
        return (FloatVector) ByteVector.fromArray(BYTES, codes, offset).convertShape(VectorOperators.B2F, SPECIES, 0);
    }
}

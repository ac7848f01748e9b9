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

    /**
     * Σ query[i] · rows[offset + i] for i in [0, query.length): the exact score, the same bits on every call of one
     * JVM (the float scan the gallery's answers must equal).
     */
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
        // The lanes are summed in lane order, not with reduceLanes(ADD): its order is unspecified, and C2's
        // horizontal add and the interpreter's loop round differently, so the same row scored 1 ulp apart before
        // and after the kernel was compiled. The exact re-score must give the same bits every time.
        float sum = sumInLaneOrder(acc0.add(acc1).add(acc2.add(acc3)));
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

    /**
     * The first pass over two adjacent 8-bit rows at once: {@code out[0]} = Σ query[i] · codes[offset + i] and
     * {@code out[1]} = Σ query[i] · codes[offset + length + i]. Each query vector is loaded once for both rows, and
     * one accumulator per row suffices, since the two rows' fused multiply-adds are independent of each other. The
     * per-row scan is bound by this arithmetic, not by memory: one core needs about twice as long for it as for a
     * plain read of the same bytes (docs/benchmarks.md, issue 12), and this form measured about 10 % less CPU time
     * per row than {@link #dot(float[], byte[], int)} on an AVX2 core. The sums are rounded in another order than
     * that kernel's; the search's proof covers either (its rounding slack).
     */
    static void dot2(float[] query, byte[] codes, int offset, float[] out) {
        int length = query.length;
        int second = offset + length;
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = length - LANES; i <= bound; i += LANES) {
            FloatVector q = FloatVector.fromArray(SPECIES, query, i);
            acc0 = q.fma(widen(codes, offset + i), acc0);
            acc1 = q.fma(widen(codes, second + i), acc1);
        }
        float sum0 = acc0.reduceLanes(VectorOperators.ADD);
        float sum1 = acc1.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum0 = Math.fma(query[i], codes[offset + i], sum0);
            sum1 = Math.fma(query[i], codes[second + i], sum1);
        }
        out[0] = sum0;
        out[1] = sum1;
    }

    private static float sumInLaneOrder(FloatVector lanes) {
        float sum = 0;
        for (int lane = 0; lane < LANES; lane++) {
            sum += lanes.lane(lane);
        }
        return sum;
    }

    private static FloatVector widen(byte[] codes, int offset) {
        return (FloatVector) ByteVector.fromArray(BYTES, codes, offset).convertShape(VectorOperators.B2F, SPECIES, 0);
    }
}

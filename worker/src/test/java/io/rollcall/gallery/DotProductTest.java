package io.rollcall.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The search kernels: the 8-bit ones against a double-precision sum (the two-row form scores each row as the one-row
 * form does, for lengths below, at and past the vector width, with a scalar tail, with codes at both ends of their
 * range), and the float one against its own definition, bit for bit.
 */
class DotProductTest {

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 100, 128, 511, 512})
    void scoresTwoAdjacentRowsAsTheOneRowKernelDoes(int length) {
        Random random = new Random(length);
        float[] query = new float[length];
        for (int i = 0; i < length; i++) {
            query[i] = (float) random.nextGaussian();
        }
        // Three rows with an offset in front, so the pair does not start at index 0; the last row holds ±127 only.
        int offset = 5;
        byte[] codes = new byte[offset + 3 * length];
        for (int i = offset; i < offset + 2 * length; i++) {
            codes[i] = (byte) (random.nextInt(255) - 127);
        }
        for (int i = offset + 2 * length; i < codes.length; i++) {
            codes[i] = (byte) (random.nextBoolean() ? 127 : -127);
        }
        float[] pair = new float[2];
        for (int row = 0; row < 2; row++) {
            int start = offset + row * length;
            DotProduct.dot2(query, codes, start, pair);
            // Float sums of up to 512 products of magnitude ≤ 127·4 differ from the exact sum by far less than this.
            float tolerance = 1e-4f * length * 127;
            assertThat(pair[0]).as("first row of the pair").isCloseTo((float) exact(query, codes, start), within(tolerance));
            assertThat(pair[1]).as("second row of the pair")
                    .isCloseTo((float) exact(query, codes, start + length), within(tolerance));
            assertThat(pair[0]).isCloseTo(DotProduct.dot(query, codes, start), within(tolerance));
            assertThat(pair[1]).isCloseTo(DotProduct.dot(query, codes, start + length), within(tolerance));
        }
    }

    /**
     * The float kernel gives the same bits compiled as interpreted: it is compared, bit for bit, with its own
     * definition written out in scalar code (four accumulators of {@code LANES} lanes, fused multiply-adds, lanes
     * summed in order), on calls made before and long after C2 compiled it. With {@code reduceLanes(ADD)} the
     * compiled kernel summed the lanes in another order, 1 ulp away on some rows.
     */
    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {100, 512})
    void scoresExactRowsWithTheSameBitsBeforeAndAfterCompilation(int length) {
        Random random = new Random(7 + length);
        float[][] queries = new float[64][length];
        float[][] rows = new float[64][length];
        for (int v = 0; v < 64; v++) {
            for (int i = 0; i < length; i++) {
                queries[v][i] = (float) random.nextGaussian() / 20;
                rows[v][i] = (float) random.nextGaussian() / 20;
            }
        }
        for (int call = 0; call < 200_000; call++) {
            int v = call % 64;
            float score = DotProduct.dot(queries[v], rows[v], 0);
            if (call < 64 || call >= 200_000 - 64) {
                assertThat(Float.floatToRawIntBits(score)).as("call %d", call)
                        .isEqualTo(Float.floatToRawIntBits(definition(queries[v], rows[v])));
            }
        }
    }

    /** DotProduct.dot(float[], float[], int) spelt out lane by lane. */
    private static float definition(float[] query, float[] row) {
        int lanes = DotProduct.SPECIES.length();
        float[][] acc = new float[4][lanes];
        int i = 0;
        for (; i + 4 * lanes <= query.length; i += 4 * lanes) {
            for (int a = 0; a < 4; a++) {
                for (int lane = 0; lane < lanes; lane++) {
                    int at = i + a * lanes + lane;
                    acc[a][lane] = Math.fma(query[at], row[at], acc[a][lane]);
                }
            }
        }
        for (; i + lanes <= query.length; i += lanes) {
            for (int lane = 0; lane < lanes; lane++) {
                acc[0][lane] = Math.fma(query[i + lane], row[i + lane], acc[0][lane]);
            }
        }
        float sum = 0;
        for (int lane = 0; lane < lanes; lane++) {
            sum += (acc[0][lane] + acc[1][lane]) + (acc[2][lane] + acc[3][lane]);
        }
        for (; i < query.length; i++) {
            sum = Math.fma(query[i], row[i], sum);
        }
        return sum;
    }

    private static double exact(float[] query, byte[] codes, int offset) {
        double sum = 0;
        for (int i = 0; i < query.length; i++) {
            sum += (double) query[i] * codes[offset + i];
        }
        return sum;
    }
}

package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DescriptorCodecTest {

    @Test
    void writesTheDocumentedFormat() {
        FaceDescriptor d = new FaceDescriptor("buffalo_l", new float[] {0.5f, -1.25f, 3.0E-8f, 0.1f});

        assertThat(DescriptorCodec.encode(d))
                .isEqualTo("{\"model\":\"buffalo_l\",\"dim\":4,\"embedding\":[0.5,-1.25,3.0E-8,0.1]}");
    }

    @Test
    void readsBackEveryUnitVectorBitForBit() {
        for (long seed = 0; seed < 500; seed++) {
            FaceDescriptor original = new FaceDescriptor("buffalo_l", TestEmbeddings.unit(seed, 512));

            DecodedDescriptor decoded = DescriptorCodec.decode(DescriptorCodec.encode(original));

            assertThat(decoded).isEqualTo(new DecodedDescriptor.Rollcall(original));
        }
    }

    @Test
    void readsBackEveryKindOfFiniteFloatBitForBit() {
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL),
                Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.1f, 1f / 3, 16_777_217f, 1e-45f, 3.4028235e38f};
        assertRoundTrip(edges);

        SplittableRandom random = new SplittableRandom(42);
        float[] values = new float[4096];
        for (int batch = 0; batch < 250; batch++) { // a million random bit patterns: normals, subnormals, both signs
            for (int i = 0; i < values.length; i++) {
                float f;
                do {
                    f = Float.intBitsToFloat(random.nextInt());
                } while (!Float.isFinite(f));
                values[i] = f;
            }
            assertRoundTrip(values);
        }
    }

    @Test
    void ignoresUnknownFieldsAndFieldOrder() {
        DecodedDescriptor decoded = DescriptorCodec.decode(
                "{\"embedding\":[1,2.5],\"extra\":{\"a\":[1]},\"dim\":2,\"model\":\"antelopev2\"}");

        assertThat(decoded).isEqualTo(new DecodedDescriptor.Rollcall(new FaceDescriptor("antelopev2", new float[] {1f, 2.5f})));
    }

    @Test
    void recognisesTheOldSystemsBareArrayOf128Numbers() {
        StringJoiner json = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < 128; i++) {
            json.add(Double.toString(-0.0912 + i * 0.001));
        }

        assertThat(DescriptorCodec.decode(json.toString())).isEqualTo(new DecodedDescriptor.Legacy("array of 128 numbers"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL                                                  | null",
            "'   '                                                 | empty",
            "not json                                              | not JSON",
            "[0.1, 0.2                                             | not JSON",
            "{\"model\":\"x\",\"dim\":1,\"embedding\":[1]} trailing | not JSON",
            "'[1, \"a\", [2]]'                                     | array of 3 values",
            "'\"text\"'                                            | JSON VALUE_STRING",
            "{}                                                    | object without model, dim and embedding",
            "'{\"model\":\"\",\"dim\":1,\"embedding\":[1]}'        | object without model, dim and embedding",
            "'{\"model\":\"x\",\"dim\":3,\"embedding\":[1,2]}'     | object whose dim 3 does not match its 2 values",
            "'{\"model\":\"x\",\"dim\":0,\"embedding\":[]}'        | object whose dim 0 does not match its 0 values",
            "'{\"model\":\"x\",\"dim\":2,\"embedding\":[1,\"2\"]}' | object without model, dim and embedding",
            "'{\"model\":\"x\",\"dim\":1,\"embedding\":[1e39]}'    | object without model, dim and embedding",
            "'{\"model\":\"x\",\"dim\":\"2\",\"embedding\":[1,2]}' | object without model, dim and embedding",
    })
    void treatsAnythingElseAsLegacyWithoutThrowing(String stored, String shape) {
        assertThat(DescriptorCodec.decode(stored)).isEqualTo(new DecodedDescriptor.Legacy(shape));
    }

    @Test
    void refusesDescriptorsJsonCannotHold() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FaceDescriptor("buffalo_l", new float[] {1f, Float.NaN}))
                .withMessage("embedding[1] is not finite");
        assertThatIllegalArgumentException().isThrownBy(() -> new FaceDescriptor(" ", new float[] {1f}));
        assertThatIllegalArgumentException().isThrownBy(() -> new FaceDescriptor("buffalo_l", new float[0]));
    }

    @Test
    void keepsItsOwnCopyAndNeverPrintsTheVector() {
        float[] v = {1f, 2f};
        FaceDescriptor d = new FaceDescriptor("buffalo_l", v);
        v[0] = 9f;
        d.embedding()[1] = 9f;

        assertThat(d.embedding()).containsExactly(1f, 2f);
        assertThat(d).hasToString("FaceDescriptor[model=buffalo_l, dim=2]");
    }

    private static void assertRoundTrip(float[] values) {
        DecodedDescriptor decoded = DescriptorCodec.decode(DescriptorCodec.encode(new FaceDescriptor("m", values)));
        float[] back = ((DecodedDescriptor.Rollcall) decoded).descriptor().embedding();
        assertThat(back).hasSameSizeAs(values);
        for (int i = 0; i < values.length; i++) {
            if (Float.floatToRawIntBits(back[i]) != Float.floatToRawIntBits(values[i])) {
                throw new AssertionError("value " + i + ": wrote " + values[i] + " (bits "
                        + Integer.toHexString(Float.floatToRawIntBits(values[i])) + "), read " + back[i]);
            }
        }
    }
}

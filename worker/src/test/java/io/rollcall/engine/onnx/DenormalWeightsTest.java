package io.rollcall.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.rollcall.testing.DevData;
import io.rollcall.testing.Vectors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DenormalWeightsTest {
    private static final float DENORMAL = Float.intBitsToFloat(0x0000_1234);
    private static final int FLOAT = 1;
    private static final int INT32 = 6;

    @Test
    void zeroesDenormalFloatsInInitializersAndConstantNodesAndKeepsEverythingElse() {
        byte[] weights = floats(1.0f, DENORMAL, -DENORMAL, 0.0f, Float.MIN_NORMAL, -2.5f);
        // An int32 tensor whose bytes look like a denormal float must stay as it is.
        byte[] ints = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x0000_0777).array();
        byte[] constant = floats(DENORMAL, 3.0f);
        byte[] subgraphTensor = floats(DENORMAL);

        byte[] subgraph = message(field(5, tensor(FLOAT, 9, subgraphTensor)));
        byte[] graph = message(
                field(1, message(field(5, message(field(5, tensor(FLOAT, 4, constant)), field(6, subgraph))))),
                field(5, tensor(FLOAT, 9, weights)),
                field(5, tensor(INT32, 9, ints)));
        byte[] model = message(varintField(1, 8), field(7, graph));
        byte[] before = model.clone();

        assertEquals(4, DenormalWeights.flush(model));
        assertEquals(before.length, model.length);
        assertArrayEquals(new float[] {1.0f, 0.0f, -0.0f, 0.0f, Float.MIN_NORMAL, -2.5f}, floatsAfter(model, before, weights));
        assertArrayEquals(new float[] {0.0f, 3.0f}, floatsAfter(model, before, constant));
        assertArrayEquals(new float[] {0.0f}, floatsAfter(model, before, subgraphTensor));
        int intsAt = indexOf(before, ints);
        assertArrayEquals(ints, Arrays.copyOfRange(model, intsAt, intsAt + 4));
        assertEquals(0, DenormalWeights.flush(model), "a flushed model has nothing left to flush");
    }

    @Test
    void refusesBytesThatAreNotAProtobuf() {
        byte[] truncated = message(field(7, message(field(5, tensor(FLOAT, 9, floats(1f, 2f))))));
        assertThrows(IllegalArgumentException.class, () -> DenormalWeights.flush(Arrays.copyOf(truncated, truncated.length - 3)));
        assertThrows(IllegalArgumentException.class, () -> DenormalWeights.flush(new byte[] {(byte) 0x3b, 1, 2}));
    }

    @Test
    void theDevRecognizerLosesItsDenormalsAndItsEmbeddingsStayTheSame() throws Exception {
        Path file = DevData.models().resolve("faceplugin/fr_feature.onnx");
        byte[] original = Files.readAllBytes(file);
        // Counted independently with a protobuf walk in Python over the same file.
        assertEquals(8_938, DenormalWeights.flush(original.clone()));

        float[] input = new float[3 * 112 * 112];
        Random random = new Random(3);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian() * 0.5f;
        }
        long[] shape = {1, 3, 112, 112};
        float[] asExported = runUnflushed(original, input, shape);
        float[] flushed;
        try (OnnxModel model = OnnxModel.load(file, 1)) {
            flushed = model.run(FloatBuffer.wrap(input), shape)[0];
        }
        assertEquals(512, flushed.length);
        assertTrue(Vectors.cosine(asExported, flushed) > 0.999_999, "cosine " + Vectors.cosine(asExported, flushed));
    }

    /** The model exactly as exported, bypassing {@link OnnxModel#load}'s flush. */
    private static float[] runUnflushed(byte[] model, float[] input, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options);
             OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
             OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
            return ((float[][]) result.get(0).getValue())[0];
        }
    }

    private static float[] floatsAfter(byte[] model, byte[] before, byte[] payload) {
        int at = indexOf(before, payload);
        FloatBuffer view = ByteBuffer.wrap(model, at, payload.length).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[payload.length / 4];
        view.get(out);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("payload not found");
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** TensorProto with dims (1), data_type (2), a name (8) and the payload in raw_data (9) or float_data (4). */
    private static byte[] tensor(int dataType, int payloadField, byte[] payload) {
        return message(varintField(1, payload.length / 4), varintField(2, dataType),
                field(8, "w".getBytes(StandardCharsets.UTF_8)), field(payloadField, payload));
    }

    private static byte[] message(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fields) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static byte[] field(int number, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, number << 3 | 2);
        varint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] varintField(int number, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, number << 3);
        varint(out, value);
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}

package io.rollcall.storage;

import io.rollcall.json.Json;
import java.io.StringWriter;
import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads and writes {@code FaceData.FaceDescriptor}: {@code {"model":"<pack>","dim":512,"embedding":[…]}}.
 *
 * <p>Round trips are exact: each float is written as {@link Float#toString(float)}'s shortest decimal that
 * identifies it (JDK 19+), and read back with float parsing, never through {@code double} (parsing to double and
 * narrowing can round twice). Unknown extra fields are ignored, so a later version may add some.
 *
 * <p>Anything not in this format is {@link DecodedDescriptor.Legacy}: the Node.js system's face_recognition
 * encodings are a bare JSON array of 128 numbers, and other rows may hold anything at all. They are recognised and
 * reported, never rewritten.
 */
public final class DescriptorCodec {

    private DescriptorCodec() {
    }

    public static String encode(FaceDescriptor descriptor) {
        float[] values = descriptor.embeddingView();
        StringWriter out = new StringWriter(32 + values.length * 12);
        try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringProperty("model", descriptor.model());
            json.writeNumberProperty("dim", values.length);
            json.writeArrayPropertyStart("embedding");
            for (float v : values) {
                json.writeNumber(v);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toString();
    }

    /**
     * How every descriptor of {@code model} with {@code dim} values begins as {@link #encode} writes it (up to the
     * embedding), so that a prefix match in SQL finds a pack's samples without any database parsing JSON.
     */
    static String prefix(String model, int dim) {
        String whole = encode(new FaceDescriptor(model, new float[dim]));
        return whole.substring(0, whole.indexOf("\"embedding\""));
    }

    /** Classifies and, for Rollcall's format, parses a stored value. Never throws for bad input. */
    public static DecodedDescriptor decode(String stored) {
        if (stored == null) {
            return new DecodedDescriptor.Legacy("null");
        }
        if (stored.isBlank()) {
            return new DecodedDescriptor.Legacy("empty");
        }
        try (JsonParser json = Json.MAPPER.createParser(stored)) {
            JsonToken first = json.nextToken();
            if (first == JsonToken.START_ARRAY) {
                return new DecodedDescriptor.Legacy(describeArray(json));
            }
            if (first != JsonToken.START_OBJECT) {
                return new DecodedDescriptor.Legacy("JSON " + first);
            }
            return readObject(json);
        } catch (JacksonException e) {
            return new DecodedDescriptor.Legacy("not JSON");
        }
    }

    /** What {@link #decodeInto} found in a stored value. */
    enum Found {
        /** A Rollcall descriptor of the wanted model and dimension: its values are in the caller's array. */
        WANTED,
        /** A Rollcall descriptor of another model or dimension. */
        OTHER_MODEL,
        /** Anything else, as {@link DecodedDescriptor.Legacy}. */
        LEGACY
    }

    /**
     * As {@link #decode}, streaming: parses {@code stored} (the column's characters, never materialised as one
     * string where the driver can stream them) straight into {@code out} when it is a descriptor of {@code model}
     * with {@code out.length} values, allocating nothing per row beyond the parser. A descriptor of another model
     * is recognised from its {@code "model"} field, which {@link #encode} writes first, and its values skipped unread.
     * Classifies as {@link #decode} does, except that a malformed descriptor naming another model counts as another
     * model's rather than legacy (its values are not read); never throws for bad input.
     */
    static Found decodeInto(java.io.Reader stored, String model, float[] out) {
        if (stored == null) {
            return Found.LEGACY;
        }
        try (JsonParser json = Json.MAPPER.createParser(stored)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return Found.LEGACY;
            }
            String storedModel = null;
            Integer dim = null;
            int values = -1; // -1: no embedding; -2: an embedding that is not all finite numbers
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                switch (name) {
                    case "model" -> storedModel = value == JsonToken.VALUE_STRING ? json.getString() : null;
                    case "dim" -> dim = value == JsonToken.VALUE_NUMBER_INT ? json.getIntValue() : null;
                    case "embedding" -> {
                        if (value != JsonToken.START_ARRAY) {
                            json.skipChildren();
                            values = -1;
                        } else if (storedModel != null && !storedModel.equals(model)) {
                            json.skipChildren(); // another pack's vector: not worth parsing 512 floats
                            values = 0;
                        } else {
                            values = readFloatsInto(json, out);
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            if (json.nextToken() != null || storedModel == null || storedModel.isBlank() || dim == null || values == -1
                    || values == -2) {
                return Found.LEGACY;
            }
            if (!storedModel.equals(model)) {
                return Found.OTHER_MODEL;
            }
            if (values != dim || dim == 0) {
                return Found.LEGACY;
            }
            return dim == out.length ? Found.WANTED : Found.OTHER_MODEL;
        } catch (JacksonException e) {
            return Found.LEGACY;
        }
    }

    /** Reads the array into {@code out} (values beyond its length are counted, not kept); -2 when not all numeric. */
    private static int readFloatsInto(JsonParser json, float[] out) {
        int n = 0;
        boolean numeric = true;
        for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY && t != null; t = json.nextToken()) {
            if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                float v = json.getFloatValue();
                if (!Float.isFinite(v)) {
                    numeric = false;
                }
                if (n < out.length) {
                    out[n] = v;
                }
                n++;
            } else {
                numeric = false;
                json.skipChildren();
            }
        }
        return numeric ? n : -2;
    }

    private static DecodedDescriptor readObject(JsonParser json) {
        String model = null;
        Integer dim = null;
        float[] embedding = null;
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            switch (name) {
                case "model" -> model = value == JsonToken.VALUE_STRING ? json.getString() : null;
                case "dim" -> dim = value == JsonToken.VALUE_NUMBER_INT ? json.getIntValue() : null;
                case "embedding" -> embedding = value == JsonToken.START_ARRAY ? readFloats(json) : skip(json);
                default -> json.skipChildren();
            }
        }
        if (json.nextToken() != null) {
            return new DecodedDescriptor.Legacy("not JSON");
        }
        if (model == null || model.isBlank() || dim == null || embedding == null) {
            return new DecodedDescriptor.Legacy("object without model, dim and embedding");
        }
        if (embedding.length != dim || dim == 0) {
            return new DecodedDescriptor.Legacy("object whose dim " + dim + " does not match its "
                    + embedding.length + " values");
        }
        return new DecodedDescriptor.Rollcall(new FaceDescriptor(model, embedding));
    }

    /** The array's floats, or null (with the array consumed) when an element is not a number. */
    private static float[] readFloats(JsonParser json) {
        float[] values = new float[512];
        int n = 0;
        boolean numeric = true;
        for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY && t != null; t = json.nextToken()) {
            if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                float v = json.getFloatValue();
                if (!Float.isFinite(v)) {
                    numeric = false;
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, n * 2);
                }
                values[n++] = v;
            } else {
                numeric = false;
                json.skipChildren();
            }
        }
        return numeric ? Arrays.copyOf(values, n) : null;
    }

    private static float[] skip(JsonParser json) {
        json.skipChildren();
        return null;
    }

    private static String describeArray(JsonParser json) {
        int count = 0;
        boolean numbers = true;
        for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY && t != null; t = json.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                numbers = false;
            }
            json.skipChildren();
            count++;
        }
        return "array of " + count + (numbers ? " numbers" : " values");
    }
}

package io.rollcall.service;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the wire contract's Avro types and the worker's domain types. */
final class Messages {
    private Messages() {
    }

    static PersonType domain(io.rollcall.schemas.PersonType type) {
        return type == null ? null : PersonType.valueOf(type.name());
    }

    static io.rollcall.schemas.PersonType wire(PersonType type) {
        return type == null ? null : io.rollcall.schemas.PersonType.valueOf(type.name());
    }

    static PersonRef person(io.rollcall.schemas.PersonType type, String code) {
        return new PersonRef(domain(type), code);
    }

    static float[] floats(List<Float> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }

    static List<Float> list(float[] values) {
        List<Float> l = new ArrayList<>(values.length);
        for (float f : values) {
            l.add(f);
        }
        return l;
    }
}

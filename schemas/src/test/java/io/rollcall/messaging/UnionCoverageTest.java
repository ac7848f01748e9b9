package io.rollcall.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.messaging.SampleMessages.Sample;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** Proves that the round-trip samples take every branch of every union in every message, nested ones included. */
class UnionCoverageTest {

    @Test
    void the_samples_take_every_branch_of_every_union() {
        Set<String> branches = new TreeSet<>();
        for (Schema message : MessageSchemas.current()) {
            collectBranches(message, branches, new HashSet<>());
        }
        Set<String> taken = new TreeSet<>();
        for (Sample sample : SampleMessages.all()) {
            SpecificData model = SpecificData.getForClass(sample.message().getClass());
            walk(model, sample.message().getSchema(), sample.message(), taken);
        }

        assertThat(taken).isEqualTo(branches);
        assertThat(branches).contains("FaceRequest.command -> QualityCheckCommand", "FaceReply.result -> null",
                "GroupFace.match -> Match", "QualityResult.pose -> null");
    }

    private static void collectBranches(Schema schema, Set<String> out, Set<String> seenRecords) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seenRecords.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    if (field.schema().getType() == Schema.Type.UNION) {
                        for (Schema branch : field.schema().getTypes()) {
                            out.add(key(schema, field, branch));
                        }
                    }
                    collectBranches(field.schema(), out, seenRecords);
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> collectBranches(branch, out, seenRecords));
            case ARRAY -> collectBranches(schema.getElementType(), out, seenRecords);
            default -> {
            }
        }
    }

    private static void walk(SpecificData model, Schema schema, Object value, Set<String> taken) {
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                for (Schema.Field field : schema.getFields()) {
                    Object fieldValue = record.get(field.pos());
                    Schema fieldSchema = field.schema();
                    if (fieldSchema.getType() == Schema.Type.UNION) {
                        Schema branch = fieldSchema.getTypes().get(model.resolveUnion(fieldSchema, fieldValue));
                        taken.add(key(schema, field, branch));
                        walk(model, branch, fieldValue, taken);
                    } else {
                        walk(model, fieldSchema, fieldValue, taken);
                    }
                }
            }
            case ARRAY -> {
                for (Object element : (Iterable<?>) value) {
                    walk(model, schema.getElementType(), element, taken);
                }
            }
            default -> {
            }
        }
    }

    private static String key(Schema record, Schema.Field field, Schema branch) {
        return record.getName() + "." + field.name() + " -> " + branch.getName();
    }
}

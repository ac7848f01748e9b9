package io.rollcall.messaging;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12.2 instantiates only classes on a JVM-wide allow-list ({@link ClassSecurityValidator}), and its generated
 * classes are not on it by default: without this, decoding any message fails with "SecurityException: Forbidden
 * io.rollcall.schemas.FaceRequest" (AVRO-4189 regression). Rather than trusting a whole package through the
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property, each serde trusts exactly the generated classes
 * named in its own message schema, added to whatever predicate the application already installed.
 */
final class TrustedMessageClasses {
    private static final Set<String> TRUSTED = ConcurrentHashMap.newKeySet();
    private static final ClassSecurityPredicate OURS = type -> TRUSTED.contains(type.getName());
    private static ClassSecurityPredicate installed;

    private TrustedMessageClasses() {
    }

    /** Trusts the record and enum classes named anywhere in {@code message}'s schema. */
    static synchronized void trust(Schema message) {
        collectNames(message, TRUSTED, new HashSet<>());
        ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
        if (global != installed) {
            // First use, or someone replaced the global predicate since: keep theirs and add ours.
            installed = ClassSecurityValidator.composite(OURS, global);
            ClassSecurityValidator.setGlobal(installed);
        }
    }

    static boolean isTrusted(String className) {
        return TRUSTED.contains(className);
    }

    private static void collectNames(Schema schema, Set<String> names, Set<Schema> seen) {
        if (!seen.add(schema)) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                names.add(schema.getFullName());
                schema.getFields().forEach(field -> collectNames(field.schema(), names, seen));
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            case UNION -> schema.getTypes().forEach(branch -> collectNames(branch, names, seen));
            case ARRAY -> collectNames(schema.getElementType(), names, seen);
            case MAP -> collectNames(schema.getValueType(), names, seen);
            default -> {
            }
        }
    }
}

package io.rollcall.transport;

import io.rollcall.messaging.AvroDeserializer;
import io.rollcall.messaging.MessageSchemas;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.PackChange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the gallery-changes topic, which carries two messages: {@link GalleryChange} and, for a model-pack switch,
 * {@link PackChange}. Single-object encoding names each record's schema by fingerprint (bytes 2 to 9, little
 * endian), so the fingerprint picks the message; each is then read by its own {@link AvroDeserializer}, with its
 * history and its checks.
 */
final class GalleryTopicDeserializer implements Deserializer<SpecificRecord> {
    private final AvroDeserializer<GalleryChange> changes = new AvroDeserializer<>(GalleryChange.class);
    private final AvroDeserializer<PackChange> packs = new AvroDeserializer<>(PackChange.class);
    private final Set<Long> packFingerprints = new HashSet<>();

    GalleryTopicDeserializer() {
        for (Schema version : MessageSchemas.history(PackChange.getClassSchema())) {
            packFingerprints.add(MessageSchemas.fingerprint(version));
        }
        packFingerprints.add(MessageSchemas.fingerprint(PackChange.getClassSchema()));
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 10) {
            throw new SerializationException("gallery topic record of " + data.length + " bytes is too short");
        }
        long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return packFingerprints.contains(fingerprint) ? packs.deserialize(topic, data) : changes.deserialize(topic, data);
    }
}

package io.rollcall.transport;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * spring-kafka's {@link ErrorHandlingDeserializer} that lets the delegate decode from the fetched buffer. Kafka hands
 * each record's value to {@link #deserialize(String, Headers, ByteBuffer)}; the parent does not override it, so
 * Kafka's default copied every request (a photo of up to 10 MiB) into a fresh array before the delegate, which can
 * read the buffer in place ({@link io.rollcall.messaging.AvroDeserializer}), ever saw it. A value that fails is
 * handed to the parent as an array, which records the failure in the record's headers for the error handler and
 * dead-letter topic exactly as before.
 */
final class InPlaceErrorHandlingDeserializer<T> extends ErrorHandlingDeserializer<T> {
    private final Deserializer<T> delegate;

    InPlaceErrorHandlingDeserializer(Deserializer<T> delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    @Override
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        try {
            return delegate.deserialize(topic, headers, data);
        } catch (RuntimeException e) {
            return super.deserialize(topic, headers, data == null ? null : Utils.toArray(data.duplicate()));
        }
    }
}

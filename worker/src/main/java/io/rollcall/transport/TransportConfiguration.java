package io.rollcall.transport;

import io.micrometer.core.instrument.Metrics;
import io.rollcall.attendance.SessionRegister;
import io.rollcall.enroll.EnrolledFaces;
import io.rollcall.enroll.FaceEnrollment;
import io.rollcall.enroll.QualityCheck;
import io.rollcall.health.WorkerHealth;
import io.rollcall.packs.PackLifecycle;
import io.rollcall.packs.ShadowRecognitions;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.ShadowOutcomeRepository;
import io.rollcall.messaging.AvroDeserializer;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;
import io.rollcall.recognize.FaceRecognition;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.RecognitionLogEvent;
import io.rollcall.storage.RecognitionLogRepository;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The worker's Kafka side: the topics created when missing, the gallery feed, the request consumer that answers on
 * the reply topic, and the recognition-log events with their database writer.
 */
@Configuration(proxyBeanMethods = false)
public class TransportConfiguration {
    private static final Logger log = LoggerFactory.getLogger(TransportConfiguration.class);

    @Bean(destroyMethod = "close")
    KafkaGalleryFeed galleryFeed(KafkaClients kafka, Topics topics) {
        try (Admin admin = Admin.create(kafka.admin())) {
            KafkaTopics.createMissing(admin, topics.specs(), Duration.ofSeconds(30));
        }
        return new KafkaGalleryFeed(kafka, topics);
    }

    @Bean(destroyMethod = "close")
    KafkaRecognitionLog recognitionLog(KafkaClients kafka, Topics topics, TransportSettings settings) {
        return new KafkaRecognitionLog(kafka, topics, settings.workerId());
    }

    @Bean(destroyMethod = "close")
    WorkerHeartbeats workerHeartbeats(KafkaClients kafka, Topics topics, TransportSettings settings, WorkerHealth health,
                                      KafkaGalleryFeed topicsCreated) {
        return new WorkerHeartbeats(kafka, topics, settings.workerId(), health);
    }

    @Bean
    RequestDispatcher requestDispatcher(TransportSettings settings, FaceEnrollment enrollment, EnrolledFaces enrolled,
                                        FaceRecognition recognition, QualityCheck quality, WorkerHealth health,
                                        KafkaRecognitionLog recognitionLog, SessionRegister register, PackLifecycle packs,
                                        ShadowRecognitions shadows) {
        return new RequestDispatcher(settings.workerId(), enrollment, enrolled, recognition, quality, health, recognitionLog,
                register, settings.schoolZone(), packs, shadows);
    }

    @Bean
    KafkaTemplate<String, FaceReply> replyTemplate(KafkaClients kafka) {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(kafka.producer(), new StringSerializer(),
                new AvroSerializer<>(FaceReply.class)));
    }

    /** Dead letters carry the original bytes, whatever could or could not be read of them. */
    @Bean
    KafkaTemplate<byte[], byte[]> deadLetterTemplate(KafkaClients kafka) {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(kafka.producer(), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    @Bean
    ConcurrentMessageListenerContainer<String, FaceRequest> requestContainer(
            KafkaClients kafka, Topics topics, TransportSettings settings, RequestDispatcher dispatcher,
            KafkaTemplate<String, FaceReply> replyTemplate, KafkaTemplate<byte[], byte[]> deadLetterTemplate) {
        Map<String, Object> consumer = kafka.consumer("rollcall-workers");
        // Each request may take a few hundred ms; a few per poll keeps the poll interval far from its limit.
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4);
        var values = new InPlaceErrorHandlingDeserializer<>(new AvroDeserializer<>(FaceRequest.class));
        var factory = new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), values);
        // Kafka's own client metrics, consumer lag (records-lag-max) among them.
        factory.addListener(new MicrometerConsumerListener<>(Metrics.globalRegistry));
        ContainerProperties props = new ContainerProperties(topics.faceRequests());
        props.setAckMode(ContainerProperties.AckMode.RECORD);
        // The reply and the log events are acknowledged before the commit is even started; an asynchronous commit
        // lets the thread take the next request at once. A commit lost in a crash only means a redelivery, which
        // the request handling tolerates (replies are matched by correlation id, log rows by event id).
        props.setSyncCommits(false);
        RequestListener listener = new RequestListener(dispatcher, replyTemplate, topics.faceReplies());
        props.setMessageListener(listener);
        var container = new ConcurrentMessageListenerContainer<>(factory, props);
        container.setConcurrency(Math.max(1, settings.consumers()));
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, e) -> new TopicPartition(topics.faceRequestsDeadLetter(), -1));
        // A poison request goes to the dead-letter topic, and its caller still gets an error reply instead of waiting.
        DefaultErrorHandler errors = new DefaultErrorHandler((record, e) -> {
            deadLetters.accept(record, e);
            try {
                RequestListener.await(listener.send(record.headers(), listener.poisonReply(settings.workerId(), rootMessage(e))),
                        "a dead-lettered request");
            } catch (RuntimeException replyFailed) {
                log.warn("Could not tell the caller about a dead-lettered request: {}", replyFailed.getMessage());
            }
        }, new FixedBackOff(1_000, 2));
        container.setCommonErrorHandler(errors);
        return container;
    }

    @Bean
    ConcurrentMessageListenerContainer<String, RecognitionLogEvent> recognitionLogContainer(
            KafkaClients kafka, Topics topics, RecognitionLogRepository logs, DatabaseAccess db, TransportSettings settings) {
        var values = new InPlaceErrorHandlingDeserializer<>(new AvroDeserializer<>(RecognitionLogEvent.class));
        Map<String, Object> consumer = kafka.consumer("rollcall-log-writer");
        // Rows may land a second late; in exchange the writer wakes about once a second with a batch instead of
        // once per recognition, right when the recognition's reply is on its way on the same two cores.
        consumer.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024);
        consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1_000);
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        var factory = new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), values);
        factory.addListener(new MicrometerConsumerListener<>(Metrics.globalRegistry));
        ContainerProperties props = new ContainerProperties(topics.recognitionLogs());
        // Offsets are committed once per batch, after its rows; a failed row is retried from that row on.
        props.setAckMode(ContainerProperties.AckMode.BATCH);
        props.setMessageListener(new RecognitionLogWriter(logs, new ShadowOutcomeRepository(db), settings.schoolZone()));
        var container = new ConcurrentMessageListenerContainer<>(factory, props);
        // A database outage: keep retrying the same event, backing off to one try every 30 s, never skipping it.
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler errors = new DefaultErrorHandler((record, e) -> log.error("Recognition log event skipped: {}", rootMessage(e)), backOff);
        errors.addNotRetryableExceptions(IllegalArgumentException.class, DeserializationException.class);
        container.setCommonErrorHandler(errors);
        return container;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}

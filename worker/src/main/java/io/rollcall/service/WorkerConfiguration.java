package io.rollcall.service;

import io.micrometer.core.instrument.Metrics;
import io.rollcall.attendance.AttendanceSettings;
import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.image.ImageLimits;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.gallery.Gallery;
import io.rollcall.messaging.AvroDeserializer;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.RecognitionLogEvent;
import io.rollcall.storage.Database;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.RecognitionLogRepository;
import io.rollcall.storage.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * A worker's parts and how they connect: engine, database, gallery and its sync, the request consumer that
 * answers on the reply topic, and the recognition-log writer. Settings come from the environment map the
 * application was started with (registered as beans by {@link WorkerApplication}).
 */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {
    private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

    @Bean(destroyMethod = "close")
    EngineHolder engineHolder(ModelSettings models, EngineSettings engine) {
        return new EngineHolder(models, engine, Duration.ofSeconds(30), Clock.systemUTC());
    }

    @Bean
    ImageDecoder imageDecoder(ImageLimits limits) {
        return new ImageDecoder(limits);
    }

    @Bean(destroyMethod = "close")
    Database database(StoreSettings store) {
        return Database.open(store);
    }

    @Bean
    DataSource dataSource(Database database) {
        return database.dataSource();
    }

    @Bean
    Gallery gallery(ModelSettings models) {
        // The pack's manifest gives the dimension even while its weights are missing, so the gallery can load.
        var pack = PackCatalog.load(models.modelsDir()).require(models.packName());
        Gallery gallery = new Gallery(pack.name(), pack.embeddingDim());
        WorkerMetrics.gallery(gallery);
        return gallery;
    }

    @Bean(destroyMethod = "close")
    GallerySync gallerySync(Gallery gallery, Database database, KafkaClients kafka, Topics topics) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(kafka.admin())) {
            KafkaTopics.createMissing(admin, topics.specs(), Duration.ofSeconds(30));
        }
        return new GallerySync(gallery, new GalleryRepository(database.access()), kafka, topics);
    }

    @Bean(destroyMethod = "close")
    Publishers publishers(KafkaClients kafka, Topics topics) {
        return new Publishers(kafka, topics);
    }

    @Bean
    FaceEnrollment faceEnrollment(WorkerSettings settings, EngineHolder engines, ImageDecoder decoder, Gallery gallery,
                                  GallerySync sync, Publishers publishers, Database database) {
        return new FaceEnrollment(settings, engines, decoder, gallery, sync, publishers, database.access());
    }

    @Bean
    FaceRequestHandler faceRequestHandler(WorkerSettings settings, EngineHolder engines, ImageDecoder decoder, Gallery gallery,
                                          GallerySync sync, Publishers publishers, Database database, AttendanceSettings attendance,
                                          FaceEnrollment enrollment) {
        return new FaceRequestHandler(settings, engines, decoder, gallery, sync, publishers, database.access(),
                new io.rollcall.attendance.AttendanceRecorder(database.access(), attendance), enrollment);
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
            KafkaClients kafka, Topics topics, WorkerSettings settings, FaceRequestHandler handler,
            KafkaTemplate<String, FaceReply> replyTemplate, KafkaTemplate<byte[], byte[]> deadLetterTemplate,
            EngineSettings engine, GallerySync sync) {
        Map<String, Object> consumer = kafka.consumer("rollcall-workers");
        // Each request may take a few hundred ms; a few per poll keeps the poll interval far from its limit.
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4);
        var values = new ErrorHandlingDeserializer<>(new AvroDeserializer<>(FaceRequest.class));
        var factory = new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), values);
        // Kafka's own client metrics, consumer lag (records-lag-max) among them.
        factory.addListener(new MicrometerConsumerListener<>(Metrics.globalRegistry));
        ContainerProperties props = new ContainerProperties(topics.faceRequests());
        props.setAckMode(ContainerProperties.AckMode.RECORD);
        // The reply and the log events are acknowledged before the commit is even started; an asynchronous commit
        // lets the thread take the next request at once. A commit lost in a crash only means a redelivery, which
        // the request handling tolerates (replies are matched by correlation id, log rows by event id).
        props.setSyncCommits(false);
        RequestListener listener = new RequestListener(handler, replyTemplate, topics.faceReplies());
        props.setMessageListener(listener);
        var container = new ConcurrentMessageListenerContainer<>(factory, props);
        container.setConcurrency(Math.max(1, engine.concurrentInferences()));
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, e) -> new org.apache.kafka.common.TopicPartition(topics.faceRequestsDeadLetter(), -1));
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
            KafkaClients kafka, Topics topics, Database database, WorkerSettings settings) {
        var values = new ErrorHandlingDeserializer<>(new AvroDeserializer<>(RecognitionLogEvent.class));
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
        props.setMessageListener(new RecognitionLogWriter(new RecognitionLogRepository(database.access()), settings.schoolZone()));
        var container = new ConcurrentMessageListenerContainer<>(factory, props);
        // A database outage: keep retrying the same event, backing off to one try every 30 s, never skipping it.
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler errors = new DefaultErrorHandler((record, e) -> log.error("Recognition log event skipped: {}", rootMessage(e)), backOff);
        errors.addNotRetryableExceptions(IllegalArgumentException.class,
                org.springframework.kafka.support.serializer.DeserializationException.class);
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

package io.rollcall.ingress;

import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.bulk.KafkaBulkJobs;
import io.rollcall.ingress.gateway.FaceGateway;
import io.rollcall.ingress.gateway.KafkaFaceGateway;
import io.rollcall.ingress.gateway.KafkaWorkerRoster;
import io.rollcall.messaging.AvroDeserializer;
import io.rollcall.messaging.AvroSerializer;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

/**
 * The Kafka side of the ingress: the request-reply template and the {@link FaceGateway} over it, and the bulk-job
 * queue with its progress reader. The HTTP side is
 * {@link IngressWebConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class IngressConfiguration {

    @Bean
    ReplyingKafkaTemplate<String, FaceRequest, FaceReply> replyingTemplate(KafkaClients kafka, Topics topics) {
        DefaultKafkaProducerFactory<String, FaceRequest> producers = new DefaultKafkaProducerFactory<>(
                kafka.producer(), new StringSerializer(), new AvroSerializer<>(FaceRequest.class));
        // Every ingress instance reads every reply partition under its own group and keeps the replies it waits
        // for, so any number of ingresses can share the one replies topic.
        Map<String, Object> consumer = kafka.consumer("rollcall-ingress-" + UUID.randomUUID());
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        DefaultKafkaConsumerFactory<String, FaceReply> consumers = new DefaultKafkaConsumerFactory<>(
                consumer, new StringDeserializer(), new AvroDeserializer<>(FaceReply.class));
        ConcurrentMessageListenerContainer<String, FaceReply> replies = new ConcurrentMessageListenerContainer<>(
                consumers, new ContainerProperties(topics.faceReplies()));
        replies.getContainerProperties().setGroupId((String) consumer.get(ConsumerConfig.GROUP_ID_CONFIG));
        // Never commit: the group is this process's alone and starts at the latest reply, so a committed offset
        // would never be read, and a commit per reply costs a broker write while the next reply is on its way.
        replies.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        ReplyingKafkaTemplate<String, FaceRequest, FaceReply> template = new ReplyingKafkaTemplate<>(producers, replies);
        template.setSharedReplyTopic(true);
        return template;
    }

    @Bean
    FaceGateway faceGateway(ReplyingKafkaTemplate<String, FaceRequest, FaceReply> template, Topics topics, IngressSettings settings) {
        return new KafkaFaceGateway(template, topics, settings.requestTimeout());
    }

    @Bean(destroyMethod = "close")
    KafkaWorkerRoster workerRoster(KafkaClients kafka, Topics topics) {
        return new KafkaWorkerRoster(kafka, topics);
    }

    @Bean(destroyMethod = "close")
    KafkaBulkJobs bulkJobs(KafkaClients kafka, Topics topics, IngressSettings settings) {
        return new KafkaBulkJobs(kafka, topics, settings.requestTimeout());
    }
}

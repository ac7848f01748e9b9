package io.rollcall.ingress;

import io.rollcall.ingress.gateway.FaceGateway;
import io.rollcall.ingress.gateway.KafkaFaceGateway;
import io.rollcall.json.Json;
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
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/** The ingress's beans: settings, the Kafka request-reply path, the JSON mapper and CORS. */
@Configuration(proxyBeanMethods = false)
public class IngressConfiguration {

    @Bean
    JsonMapper jsonMapper() {
        return Json.MAPPER;
    }

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
        ReplyingKafkaTemplate<String, FaceRequest, FaceReply> template = new ReplyingKafkaTemplate<>(producers, replies);
        template.setSharedReplyTopic(true);
        return template;
    }

    @Bean
    FaceGateway faceGateway(ReplyingKafkaTemplate<String, FaceRequest, FaceReply> template, Topics topics, IngressSettings settings) {
        return new KafkaFaceGateway(template, topics, settings.requestTimeout());
    }

    @Bean
    WebMvcConfigurer cors(IngressSettings settings) {
        return new WebMvcConfigurer() {
            @Override
            public void addCorsMappings(CorsRegistry registry) {
                registry.addMapping("/api/**")
                        .allowedOrigins(settings.corsOrigins().toArray(String[]::new))
                        .allowedMethods("GET", "POST", "DELETE", "OPTIONS")
                        .allowedHeaders("*")
                        .exposedHeaders("X-Request-Id", "Retry-After");
            }
        };
    }
}

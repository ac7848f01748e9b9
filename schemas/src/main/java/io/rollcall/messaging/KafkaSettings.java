package io.rollcall.messaging;

import io.rollcall.config.EnvSettings;
import io.rollcall.config.Variables;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one binding of Kafka's environment variables, shared by the ingress and the workers: where the cluster is
 * ({@code KAFKA_BOOTSTRAP_SERVERS}), the installation's prefix ({@code KAFKA_TOPIC_PREFIX}), how its topics are
 * replicated ({@code KAFKA_REPLICATION_FACTOR}, {@code KAFKA_MIN_INSYNC_REPLICAS}), how long they keep personal data
 * ({@code KAFKA_PHOTO_RETENTION_MS} and its siblings, {@link Topics.Retention}) and the clients' own properties
 * ({@code KAFKA_CLIENT_*}).
 *
 * @param bootstrapServers the cluster, or the in-process broker's address; null where no Kafka is needed ({@code eval})
 * @param clientProperties {@code KAFKA_CLIENT_*} as Kafka property names ({@code security.protocol}), values as set
 */
public record KafkaSettings(String bootstrapServers, Topics topics, Map<String, Object> clientProperties) {
    private static final Logger log = LoggerFactory.getLogger(KafkaSettings.class);

    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
    }

    /**
     * @param inProcessBroker the address of the in-process broker of {@code ./rollcall}, used when {@code
     *                        KAFKA_BOOTSTRAP_SERVERS} is unset; null when there is none. That broker is a single node,
     *                        so its topics default to one copy ({@link Topics.Replication#SINGLE_BROKER}); a cluster's
     *                        to {@link Topics.Replication#RECOMMENDED}. Set variables win in both cases.
     * @throws IllegalArgumentException naming the variable, for a malformed value or an unknown or reserved client
     *                                  property
     */
    public static KafkaSettings fromEnvironment(Map<String, String> environment, String inProcessBroker) {
        EnvSettings env = new EnvSettings(environment);
        boolean inProcess = !env.isSet(Variables.KAFKA_BOOTSTRAP_SERVERS) && inProcessBroker != null;
        long factor = env.isSet(Variables.KAFKA_REPLICATION_FACTOR) ? env.integer(Variables.KAFKA_REPLICATION_FACTOR)
                : inProcess ? Topics.Replication.SINGLE_BROKER.factor() : Topics.RECOMMENDED_REPLICATION_FACTOR;
        // Never more acknowledging copies than copies: unset, it follows a smaller factor down (1 on one broker).
        long minInsync = env.isSet(Variables.KAFKA_MIN_INSYNC_REPLICAS) ? env.integer(Variables.KAFKA_MIN_INSYNC_REPLICAS)
                : Math.min(Topics.RECOMMENDED_MIN_INSYNC_REPLICAS, factor);
        if (factor > Short.MAX_VALUE) {
            throw new IllegalArgumentException(Variables.KAFKA_REPLICATION_FACTOR.name() + " is far beyond any cluster: " + factor);
        }
        Topics topics = new Topics(env.string(Variables.KAFKA_TOPIC_PREFIX),
                new Topics.Replication((short) factor, (int) Math.min(minInsync, Integer.MAX_VALUE)),
                Topics.Retention.fromEnvironment(env));

        Map<String, Object> properties = new LinkedHashMap<>();
        env.family(Variables.KAFKA_CLIENT).forEach((variable, value) -> properties.put(KafkaClients.propertyName(variable), value));
        KafkaSettings settings = new KafkaSettings(env.string(Variables.KAFKA_BOOTSTRAP_SERVERS, inProcessBroker), topics, properties);
        if (settings.bootstrapServers() != null) {
            KafkaClients clients = settings.clients(); // checks every property now, at start, naming its variable
            if (!properties.isEmpty()) {
                log.info("Kafka client properties from the environment: {}", clients.describeProperties());
            }
        }
        return settings;
    }

    /**
     * Every client's configuration.
     *
     * @throws IllegalArgumentException when no Kafka cluster is configured
     */
    public KafkaClients clients() {
        return new KafkaClients(bootstrapServers, topics.prefix(), clientProperties);
    }

    @Override
    public String toString() {
        // The properties may hold a password (sasl.jaas.config): only their names are printed.
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", topics=" + topics + ", clientProperties="
                + clientProperties.keySet() + "]";
    }
}

package io.rollcall.messaging;

import io.rollcall.config.Variables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the service's topics when they are missing, on the in-process broker or a real cluster alike (topic
 * auto-creation is off, so nothing else creates them): the one place topics are created. Idempotent: topics that
 * exist keep their partitions and replication; if one has fewer partitions, another replication factor or a
 * different value for another config the spec names, a warning says so, because changing a running topic
 * (partition count re-keys it, replication moves data) is an operator's decision. The erasure bounds
 * ({@link #ENFORCED_CONFIGS}: {@code retention.ms}, {@code segment.ms}) are the exception: they are a promise
 * about how long photos stay, so a topic whose values drifted (an upgrade from a release that kept them for days)
 * is altered to the spec's values. Returns once every partition of every topic has a leader, so the first request
 * can be produced at once.
 */
public final class KafkaTopics {
    private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);
    private static final long POLL_MS = 50;
    /** The topic configs applied to existing topics too: how long a photo or a name may stay (README, Data protection). */
    public static final Set<String> ENFORCED_CONFIGS = Set.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.SEGMENT_MS_CONFIG);

    /**
     * What {@link #createMissing} did: topic names in the order given.
     *
     * @param altered existing topics whose {@link #ENFORCED_CONFIGS} were set to the spec's values
     */
    public record Result(List<String> created, List<String> existing, List<String> altered) {
        public Result {
            created = List.copyOf(created);
            existing = List.copyOf(existing);
            altered = List.copyOf(altered);
        }
    }

    private KafkaTopics() {
    }

    /**
     * Creates each topic of {@code specs} that does not exist yet and waits until all of them are ready.
     *
     * @throws IllegalStateException if the cluster refuses a topic or is not ready within {@code timeout}
     */
    public static Result createMissing(Admin admin, Collection<Topics.TopicSpec> specs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Topics.TopicSpec> byName = new LinkedHashMap<>();
        for (Topics.TopicSpec spec : specs) {
            if (byName.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalArgumentException("Topic " + spec.name() + " is specified twice");
            }
        }
        Set<String> present = await(admin.listTopics().names(), deadline, "list topics");
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        List<NewTopic> toCreate = new ArrayList<>();
        for (Topics.TopicSpec spec : byName.values()) {
            if (present.contains(spec.name())) {
                existing.add(spec.name());
            } else {
                toCreate.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.of(spec.replicationFactor()))
                        .configs(spec.configs()));
            }
        }
        if (!toCreate.isEmpty()) {
            requireEnoughBrokers(admin, toCreate, deadline);
            Map<String, KafkaFuture<Void>> results = admin.createTopics(toCreate).values();
            for (NewTopic topic : toCreate) {
                try {
                    await(results.get(topic.name()), deadline, "create topic " + topic.name());
                    created.add(topic.name());
                } catch (IllegalStateException e) {
                    if (e.getCause() instanceof InvalidReplicationFactorException) {
                        throw tooFewBrokers(List.of(topic), topic.replicationFactor(), e.getCause().getMessage(), e.getCause());
                    }
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    existing.add(topic.name()); // another instance created it at the same moment
                }
            }
            log.info("Created Kafka topics {}", created);
        }
        // Leaders first: a topic another process has just created may not be in this broker's metadata yet.
        awaitLeaders(admin, byName.keySet(), deadline);
        List<String> altered = reconcileConfigs(admin, existing, byName, deadline);
        return new Result(created, existing, altered);
    }

    /**
     * A topic needs as many brokers as copies. Kafka would refuse it too, but only topic by topic, after creating the
     * others; asking first creates none and names the setting to change.
     */
    private static void requireEnoughBrokers(Admin admin, List<NewTopic> toCreate, long deadline) {
        int brokers = await(admin.describeCluster().nodes(), deadline, "describe the cluster").size();
        short needed = toCreate.stream().map(NewTopic::replicationFactor).max(Short::compare).orElse((short) 1);
        if (brokers < needed) {
            throw tooFewBrokers(toCreate, needed, "the cluster has " + brokers + " broker" + (brokers == 1 ? "" : "s"), null);
        }
    }

    private static IllegalStateException tooFewBrokers(List<NewTopic> topics, short factor, String why, Throwable cause) {
        return new IllegalStateException("Cannot create Kafka topics " + topics.stream().map(NewTopic::name).toList()
                + " with " + Variables.KAFKA_REPLICATION_FACTOR.name() + "=" + factor + ": " + why + ". Set "
                + Variables.KAFKA_REPLICATION_FACTOR.name() + " (and " + Variables.KAFKA_MIN_INSYNC_REPLICAS.name()
                + ", at most the factor) to what the cluster can hold: 3 and 2 on three or more brokers, 1 and 1 on a"
                + " single broker.", cause);
    }

    /** Warns about drift an operator must decide on, and sets drifted {@link #ENFORCED_CONFIGS}; returns those topics. */
    private static List<String> reconcileConfigs(Admin admin, List<String> existing, Map<String, Topics.TopicSpec> specs,
                                                 long deadline) {
        if (existing.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions =
                await(admin.describeTopics(existing).allTopicNames(), deadline, "describe topics " + existing);
        List<ConfigResource> resources = existing.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all(), deadline, "describe topic configs");
        Map<ConfigResource, Collection<AlterConfigOp>> alterations = new LinkedHashMap<>();
        for (String name : existing) {
            Topics.TopicSpec spec = specs.get(name);
            List<TopicPartitionInfo> partitions = descriptions.get(name).partitions();
            if (partitions.size() < spec.partitions()) {
                log.warn("Kafka topic {} exists with {} partitions, fewer than the {} configured; left unchanged"
                        + " (kafka-topics.sh --alter --partitions grows it)", name, partitions.size(), spec.partitions());
            }
            int replicas = partitions.isEmpty() ? 0 : partitions.getFirst().replicas().size();
            if (replicas != spec.replicationFactor()) {
                log.warn("Kafka topic {} exists with replication factor {}, not the {} configured ({}); left unchanged"
                        + " (kafka-reassign-partitions.sh changes it)", name, replicas, spec.replicationFactor(),
                        Variables.KAFKA_REPLICATION_FACTOR.name());
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config actual = configs.get(resource);
            spec.configs().forEach((key, wanted) -> {
                ConfigEntry entry = actual.get(key);
                String value = entry == null ? null : entry.value();
                if (wanted.equals(value)) {
                    return;
                }
                if (ENFORCED_CONFIGS.contains(key)) {
                    log.info("Kafka topic {} has {}={}; setting the configured {}", name, key, value, wanted);
                    alterations.computeIfAbsent(resource, r -> new ArrayList<>())
                            .add(new AlterConfigOp(new ConfigEntry(key, wanted), AlterConfigOp.OpType.SET));
                } else {
                    log.warn("Kafka topic {} exists with {}={}, not the configured {}; left unchanged"
                            + " (kafka-configs.sh --alter changes it)", name, key, value, wanted);
                }
            });
        }
        if (alterations.isEmpty()) {
            return List.of();
        }
        List<String> altered = alterations.keySet().stream().map(ConfigResource::name).toList();
        try {
            await(admin.incrementalAlterConfigs(alterations).all(), deadline, "set retention.ms and segment.ms of " + altered);
        } catch (IllegalStateException e) {
            // Starting anyway would keep photos longer than the README promises: refuse, and say how to fix it.
            throw new IllegalStateException(e.getMessage() + ". Rollcall shortens the retention of existing topics so"
                    + " that photos do not outlive their bound; grant this client ALTER_CONFIGS on the topics, or set"
                    + " them yourself: " + alterations.entrySet().stream()
                    .map(a -> a.getKey().name() + " " + a.getValue().stream()
                            .map(op -> op.configEntry().name() + "=" + op.configEntry().value()).toList())
                    .toList(), e.getCause());
        }
        awaitConfigs(admin, alterations, deadline);
        return altered;
    }

    /**
     * The controller has accepted the new values; the broker that answers describeConfigs applies them from its
     * metadata a moment later. Waits for that, so that a caller (and the next start) reads what was set.
     */
    private static void awaitConfigs(Admin admin, Map<ConfigResource, Collection<AlterConfigOp>> alterations, long deadline) {
        while (true) {
            Map<ConfigResource, Config> now = await(admin.describeConfigs(alterations.keySet()).all(), deadline, "describe topic configs");
            boolean applied = alterations.entrySet().stream().allMatch(a -> a.getValue().stream().allMatch(op -> {
                ConfigEntry entry = now.get(a.getKey()).get(op.configEntry().name());
                return entry != null && op.configEntry().value().equals(entry.value());
            }));
            if (applied) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Kafka accepted the new retention of " + alterations.keySet().stream()
                        .map(ConfigResource::name).toList() + " but does not report it yet; is the cluster healthy?");
            }
            sleep("the new topic configs");
        }
    }

    private static void awaitLeaders(Admin admin, Collection<String> names, long deadline) {
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        await(admin.describeTopics(names).allTopicNames(), deadline, "describe topics " + names);
                boolean ready = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty());
                if (ready) {
                    return;
                }
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e; // a just-created topic may not be in this broker's metadata yet: poll again
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Kafka topics " + names + " have no partition leader yet; is the cluster"
                        + " healthy?");
            }
            sleep("Kafka topics " + names);
        }
    }

    private static void sleep(String waitingFor) {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + waitingFor, e);
        }
    }

    private static <T> T await(KafkaFuture<T> future, long deadline, String what) {
        long remaining = Math.max(0, deadline - System.nanoTime());
        try {
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not " + what + " in time; is the cluster reachable?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to " + what, e);
        }
    }
}

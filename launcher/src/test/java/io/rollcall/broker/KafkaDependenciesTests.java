package io.rollcall.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

/** The broker's jars and logging, as the build resolves them. */
class KafkaDependenciesTests {
    private static final Pattern JAR_VERSION = Pattern.compile("-(\\d+\\.\\d+\\.\\d+)\\.jar$");

    /** One class from each Kafka jar the broker runs on. */
    private static final List<String> BROKER_CLASSES = List.of(
            "kafka.server.KafkaRaftServer",                                  // kafka_2.13
            "org.apache.kafka.server.config.AbstractKafkaConfig",            // kafka-server
            "org.apache.kafka.server.common.MetadataVersion",                // kafka-server-common
            "org.apache.kafka.metadata.storage.Formatter",                   // kafka-metadata
            "org.apache.kafka.raft.KafkaRaftClient",                         // kafka-raft
            "org.apache.kafka.storage.internals.log.LogConfig",              // kafka-storage
            "org.apache.kafka.coordinator.group.GroupCoordinatorConfig",     // kafka-group-coordinator
            "org.apache.kafka.coordinator.transaction.TransactionLogConfig", // kafka-transaction-coordinator
            "org.apache.kafka.coordinator.share.ShareCoordinatorConfig");    // kafka-share-coordinator

    @Test
    void every_broker_jar_has_the_version_of_kafka_clients() throws Exception {
        String clients = AppInfoParser.getVersion();
        for (String name : BROKER_CLASSES) {
            URL jar = Class.forName(name).getProtectionDomain().getCodeSource().getLocation();
            Matcher version = JAR_VERSION.matcher(Path.of(jar.toURI()).getFileName().toString());
            assertThat(version.find()).as("version in the name of %s", jar).isTrue();
            assertThat(version.group(1)).as("%s in %s", name, jar).isEqualTo(clients);
        }
    }

    @Test
    void log4j_calls_of_the_broker_go_to_logback() {
        assertThat(LogManager.getContext(false).getClass().getName()).startsWith("org.apache.logging.slf4j.");
    }

    @Test
    void the_service_logs_kafka_warnings_but_not_its_chatter_and_its_own_info() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(KafkaDependenciesTests.class.getResource("/logback.xml"));
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.setContext(context);
        logged.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logged);

        context.getLogger("kafka.server.BrokerServer").info("[BrokerServer id=1] Transition from STARTING to STARTED");
        context.getLogger("org.apache.kafka.clients.producer.ProducerConfig").info("ProducerConfig values: ...");
        context.getLogger("org.apache.kafka.controller.QuorumController")
                .warn("[QuorumController id=1] Performing controller activation. {}", "The metadata log appears to be empty.");
        context.getLogger("org.apache.kafka.clients.NetworkClient")
                .warn("[NodeToControllerChannelManager id=1 name=registration] Attempting to close NetworkClient that has already been closed.");
        context.getLogger("org.apache.kafka.controller.QuorumController").warn("[QuorumController id=1] Renouncing leadership");
        context.getLogger("state.change.logger").error("[Broker id=1] partition offline");
        context.getLogger(LocalKafkaBroker.class).info("Kafka broker ready");

        assertThat(logged.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage).containsExactly(
                tuple(Level.WARN, "[QuorumController id=1] Renouncing leadership"),
                tuple(Level.ERROR, "[Broker id=1] partition offline"),
                tuple(Level.INFO, "Kafka broker ready"));
        context.stop();
    }
}

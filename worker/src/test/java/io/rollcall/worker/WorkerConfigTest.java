package io.rollcall.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.image.ImageLimits;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.enroll.EnrollmentSettings;
import io.rollcall.messaging.Topics;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.recognize.RecognitionSettings;
import io.rollcall.testing.DevData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's one binding of the environment: each variable's default, and what a bad value is told. */
class WorkerConfigTest {

    @Test
    void unsetVariablesGiveTheEnginesAndRulesOwnDefaults() {
        WorkerConfig config = WorkerConfig.from(Map.of(), null);

        assertThat(config.engine()).isEqualTo(EngineSettings.defaults());
        assertThat(config.images()).isEqualTo(ImageLimits.defaults());
        assertThat(config.duplicateThreshold()).isEqualTo(0.75);
        assertThat(config.maxSamplesPerPerson()).isEqualTo(10);
        assertThat(config.port()).isEqualTo(8001);
        assertThat(config.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(config.similarityThreshold()).isNull();
        assertThat(config.kafkaBootstrapServers()).isNull();
    }

    @Test
    void withoutSimilarityThresholdTheThresholdFollowsTheGallerySizeOnThePacksImpostorTail() {
        var dev = PackCatalog.load(DevData.models()).require("dev");

        RecognitionSettings open = WorkerConfig.from(Map.of(), null).recognition(dev);
        assertThat(open.decision()).isEqualTo(new OpenSetDecision.GallerySize(dev.impostorTail(), 0.01));
        assertThat(open.threshold(null, 27)).isCloseTo(0.3774, within(1e-4));
        assertThat(open.threshold(null, 1_609)).isCloseTo(0.5176, within(1e-4));
        assertThat(open.threshold(0.9, 1_609)).as("a request's own threshold wins").isEqualTo(0.9);

        RecognitionSettings stricter = WorkerConfig.from(Map.of("OPEN_SET_FALSE_ACCEPT_RATE", "0.001",
                "OPEN_SET_IMPOSTOR_TAIL", "0.30,0.001,0.05"), null).recognition(dev);
        assertThat(stricter.decision()).isEqualTo(new OpenSetDecision.GallerySize(new ModelPack.ImpostorTail(0.30, 0.001, 0.05), 0.001));
    }

    @Test
    void aSimilarityThresholdFixesTheDecisionAndAPackWithoutATailKeepsItsRecommendedThreshold() {
        var catalog = PackCatalog.load(DevData.models());
        var dev = catalog.require("dev");
        var buffalo = catalog.require("buffalo_l");

        assertThat(WorkerConfig.from(Map.of("SIMILARITY_THRESHOLD", "0.55"), null).recognition(dev).decision())
                .isEqualTo(new OpenSetDecision.Fixed(0.55));
        assertThat(buffalo.impostorTail()).isNull();
        assertThat(WorkerConfig.from(Map.of(), null).recognition(buffalo).decision())
                .isEqualTo(new OpenSetDecision.Fixed(buffalo.recommendedThreshold()));
    }

    @Test
    void badDecisionSettingsAreRefusedAtStart() {
        assertThatIllegalArgumentException().isThrownBy(() -> WorkerConfig.from(Map.of("SIMILARITY_THRESHOLD", "1.5"), null))
                .withMessage("SIMILARITY_THRESHOLD must be in (0, 1], got 1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> WorkerConfig.from(Map.of("OPEN_SET_FALSE_ACCEPT_RATE", "1"), null))
                .withMessage("OPEN_SET_FALSE_ACCEPT_RATE must be in (0, 1), got 1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> WorkerConfig.from(Map.of("OPEN_SET_IMPOSTOR_TAIL", "0.3,0.001"), null))
                .withMessageStartingWith("OPEN_SET_IMPOSTOR_TAIL must be score_at_far,far,scale");
    }

    @Test
    void theConfiguredThresholdHasTheFloorRequestsHave() {
        assertThatIllegalArgumentException().isThrownBy(() -> WorkerConfig.from(Map.of("SIMILARITY_THRESHOLD", "0.0001"), null))
                .withMessage("SIMILARITY_THRESHOLD must be at least MIN_SIMILARITY_THRESHOLD (0.3): lower thresholds match"
                        + " strangers to enrolled people, got 1.0E-4");
        assertThat(WorkerConfig.from(Map.of("SIMILARITY_THRESHOLD", "0.25", "MIN_SIMILARITY_THRESHOLD", "0.2"), null)
                .similarityThreshold()).isEqualTo(0.25);
    }

    @Test
    void withoutSampleMatchThresholdThePacksOwnIsInForce() {
        var dev = PackCatalog.load(DevData.models()).require("dev");

        assertThat(WorkerConfig.from(Map.of(), null).enrollment(dev)).isEqualTo(new EnrollmentSettings(0.75, 10, 0.34));
        assertThat(WorkerConfig.from(Map.of("SAMPLE_MATCH_THRESHOLD", "0.2", "MAX_SAMPLES_PER_PERSON", "3"), null).enrollment(dev))
                .isEqualTo(new EnrollmentSettings(0.75, 3, 0.2));
        assertThatIllegalArgumentException().isThrownBy(() -> WorkerConfig.from(Map.of("SAMPLE_MATCH_THRESHOLD", "2"), null))
                .withMessage("SAMPLE_MATCH_THRESHOLD must be in [-1, 1], got 2.0");
    }

    @Test
    void theImageLimitMayBeLoweredButNeverRaisedPastWhatAKafkaMessageCarries() {
        assertThat(WorkerConfig.from(Map.of("MAX_IMAGE_BYTES", "1048576"), null).images().maxBytes()).isEqualTo(1_048_576);
        assertThat(WorkerConfig.from(Map.of(), null).images().maxBytes()).isEqualTo(Topics.MAX_IMAGE_BYTES);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WorkerConfig.from(Map.of("MAX_IMAGE_BYTES", Long.toString(Topics.MAX_IMAGE_BYTES + 1L)), null))
                .withMessageStartingWith("MAX_IMAGE_BYTES must be between 1 and 10485760");
    }

    @Test
    void detectionAndInferenceSettingsAreRead() {
        WorkerConfig config = WorkerConfig.from(Map.of("DETECTION_SIZES", "160, 480", "DETECTION_THRESHOLD", "0.6",
                "INFERENCE_THREADS", "2", "INFERENCE_CONCURRENCY", "3", "ENABLE_FACE_QUALITY_CHECK", "false"), null);

        assertThat(config.engine().detector().inputSizes()).containsExactly(160, 480);
        assertThat(config.engine().detector().scoreThreshold()).isEqualTo(0.6f);
        assertThat(config.engine().intraOpThreads()).isEqualTo(2);
        assertThat(config.engine().concurrentInferences()).isEqualTo(3);
        assertThat(config.engine().qualityGate()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> WorkerConfig.from(Map.of("DETECTION_SIZES", "640,big"), null))
                .withMessage("DETECTION_SIZES must be comma-separated integers, got 'big'");
    }

    @Test
    void partsOfTheConfigurationGoToTheAdaptersThatNeedThem() {
        WorkerConfig config = WorkerConfig.from(Map.of("WORKER_ID", "w7", "DATA_DIR", "/srv/rollcall",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "KAFKA_TOPIC_PREFIX", "staging"), "127.0.0.1:1");

        assertThat(config.bulkImport().importDir()).isEqualTo(Path.of("/srv/rollcall/import"));
        assertThat(config.bulkImport().workerId()).isEqualTo("w7");
        assertThat(config.transport().workerId()).isEqualTo("w7");
        // Two request listeners per inference the engine runs at once (see TransportSettings.listenersFor).
        int inferences = config.engine().concurrentInferences();
        assertThat(config.transport().consumers()).isEqualTo(Math.min(12, 2 * inferences));
        assertThat(WorkerConfig.from(Map.of("INFERENCE_CONCURRENCY", "3"), "127.0.0.1:1").transport().consumers()).isEqualTo(6);
        // Never more listeners than request partitions: the rest would sit without any.
        assertThat(WorkerConfig.from(Map.of("INFERENCE_CONCURRENCY", "8"), "127.0.0.1:1").transport().consumers()).isEqualTo(12);
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.topics().faceRequests()).isEqualTo("staging.rollcall.face.requests");
        assertThat(WorkerConfig.from(Map.of(), "127.0.0.1:1").kafka().bootstrapServers()).isEqualTo("127.0.0.1:1");
    }
}

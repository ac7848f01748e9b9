package io.rollcall.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.engine.image.DecodedImage;
import io.rollcall.error.RollcallException;
import io.rollcall.testing.DevData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every photo the engine analyses or enrolls reaches the stage histograms once; a refused one does not. */
class StageObserverTest {

    @Test
    void recognitionAndEnrollmentEachReportTheirStagesOnce() {
        List<StageTimings> seen = new CopyOnWriteArrayList<>();
        try (FaceEngine engine = DevData.open(EngineSettings.defaults())) {
            engine.observeStages(seen::add);
            try (DecodedImage photo = DevData.decode("angelina_jolie/01.jpg")) {
                engine.analyze(photo, FaceEngine.Embed.PRIMARY);
                engine.enrollmentEmbedding(photo);
            }
            try (DecodedImage noFace = DevData.decode("_noface/01.jpg")) {
                assertThatThrownBy(() -> engine.enrollmentEmbedding(noFace)).isInstanceOf(RollcallException.class);
            }
        }
        assertThat(seen).hasSize(2);
        for (StageTimings t : seen) {
            assertThat(t.detectMs()).isPositive();
            assertThat(t.alignMs()).isPositive();
            assertThat(t.embedMs()).isPositive();
            assertThat(t.queueMs()).isNotNegative();
        }
    }
}

package io.rollcall.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.engine.detect.DetectorSettings;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.testing.DevData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Ten simultaneous callers share one engine and get exactly the answers they would get one at a time. */
class EngineConcurrencyTest {
    private static final List<String> PHOTOS = List.of("angelina_jolie/02.jpg", "tom_hanks/03.jpg", "_group/05.jpg",
            "kit_harington/01.jpg", "elon_musk/03.jpg");

    @Test
    void concurrentRequestsGiveTheSameResultsAsSequentialOnes() throws Exception {
        FaceEngine engine = DevData.engine();
        List<FaceAnalysis> sequential = new ArrayList<>();
        for (String photo : PHOTOS) {
            sequential.add(analyse(engine, photo));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<FaceAnalysis>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String photo = PHOTOS.get(i % PHOTOS.size());
                futures.add(pool.submit(() -> analyse(engine, photo)));
            }
            for (int i = 0; i < futures.size(); i++) {
                FaceAnalysis expected = sequential.get(i % PHOTOS.size());
                FaceAnalysis actual = futures.get(i).get();
                assertThat(actual.faceCount()).isEqualTo(expected.faceCount());
                for (int f = 0; f < actual.faceCount(); f++) {
                    assertThat(actual.faces().get(f).detection()).isEqualTo(expected.faces().get(f).detection());
                    assertThat(actual.faces().get(f).embedding()).containsExactly(expected.faces().get(f).embedding());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void waitersQueueForTheSingleInferenceSlot() throws Exception {
        EngineSettings oneAtATime = new EngineSettings(DetectorSettings.DEFAULT, 1, 1, true);
        try (FaceEngine engine = DevData.open(oneAtATime)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<FaceAnalysis>> futures = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    futures.add(pool.submit(() -> analyse(engine, "angelina_jolie/02.jpg")));
                }
                double waited = 0;
                for (Future<FaceAnalysis> f : futures) {
                    FaceAnalysis a = f.get();
                    assertThat(a.faceCount()).isEqualTo(1);
                    waited += a.timings().queueMs();
                }
                // With one slot and four simultaneous callers, at least three had to wait for another's inference.
                assertThat(waited).isPositive();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void twoEnginesWithDifferentSettingsRunSideBySide() throws Exception {
        // Nothing in the engine is static: a second pack (here the same files, detecting at 640 only) loads and
        // answers while the first keeps serving, which is what switching packs without a restart needs.
        EngineSettings only640 = new EngineSettings(new DetectorSettings(List.of(640), 0.7f, 0.4f), 1, 1, true);
        try (FaceEngine second = DevData.open(only640)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<FaceAnalysis> a = pool.submit(() -> analyse(DevData.engine(), "_group/05.jpg"));
                Future<FaceAnalysis> b = pool.submit(() -> analyse(second, "_group/05.jpg"));
                assertThat(a.get().faceCount()).isEqualTo(5);
                assertThat(b.get().faceCount()).isEqualTo(5);
                assertThat(second.settings().detector().inputSizes()).containsExactly(640);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static FaceAnalysis analyse(FaceEngine engine, String photo) {
        try (DecodedImage image = DevData.decode(photo)) {
            return engine.analyze(image, FaceEngine.Embed.ALL);
        }
    }
}

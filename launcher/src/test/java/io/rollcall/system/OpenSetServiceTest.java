package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.bench.HttpLoad;
import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.eval.EvalReport;
import io.rollcall.eval.Evaluator;
import io.rollcall.eval.Evaluator.ProbeOutcome;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.testing.DevData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unknown people stay unknown, through the whole service with its default decision (no SIMILARITY_THRESHOLD): 20 of
 * the 27 dev identities are enrolled with their first photo, and every other photo is shown at the door. The service
 * answers each enrolled person's photo exactly as {@code ./rollcall eval} predicts for the same gallery (so the
 * README's accuracy tables describe the service), and takes none of the 7 strangers for anyone.
 */
class OpenSetServiceTest {
    private static final int ENROLLED = 20;

    @TempDir
    static Path dir;
    static RunningService service;
    static HttpLoad http;
    static final List<String> identities = new ArrayList<>();
    static final Map<String, String> codeOf = new HashMap<>();
    static OpenSetDecision decision;

    @BeforeAll
    static void start() throws Exception {
        try (Stream<Path> dirs = Files.list(DevData.faces())) {
            dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_")).sorted()
                    .forEach(identities::add);
        }
        decision = new OpenSetDecision.GallerySize(DevData.devPack().impostorTail(), 0.01);
        service = new RunningService(dir.resolve("service"), 1, Map.of("SIMILARITY_THRESHOLD", "",
                "ENABLE_FACE_QUALITY_CHECK", "false"));
        http = service.http;
        for (int i = 0; i < ENROLLED; i++) {
            String identity = identities.get(i);
            String code = "S%03d".formatted(i + 1);
            codeOf.put(identity, code);
            Reply r = http.post("/api/face/enroll", HttpLoad.enrollBody("student", code, identity,
                    Files.readAllBytes(photos(identity).get(0))));
            assertThat(r.status()).as("%s: %s", identity, r.body()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void healthShowsTheThresholdTheGallerySizeGives() throws Exception {
        Reply r = http.get("/api/health");

        assertThat(r.body().path("enrolled_faces").asInt()).isEqualTo(ENROLLED);
        assertThat(r.body().path("decision").asText()).isEqualTo("gallery-size threshold for 0.01 of strangers accepted");
        assertThat(r.body().path("similarity_threshold").asDouble()).isEqualTo(decision.threshold(ENROLLED))
                .isCloseTo(0.3671, within(1e-4));
    }

    @Test
    void everyEnrolledPersonsPhotoIsAnsweredAsEvalPredicts() throws Exception {
        Path dataset = Files.createDirectories(dir.resolve("enrolled"));
        for (String identity : identities.subList(0, ENROLLED)) {
            Files.createSymbolicLink(dataset.resolve(identity), DevData.faces().resolve(identity));
        }
        Evaluator evaluator = new Evaluator(DevData.engine(), DevData.decoder(), decision);
        EvalReport report = evaluator.run(dataset);
        double threshold = decision.threshold(ENROLLED);
        assertThat(report.threshold()).isEqualTo(Math.round(threshold * 10_000) / 10_000.0);

        int recognised = 0;
        for (ProbeOutcome probe : evaluator.probeOutcomes()) {
            Reply r = http.post("/api/face/recognize", HttpLoad.recognizeBody(Files.readAllBytes(dataset.resolve(probe.path()))));
            if (probe.bestIdentity() == null) {
                assertThat(r.body().path("error_code").asText()).as(probe.path()).isEqualTo("NO_FACE_DETECTED");
            } else if (probe.accepted(threshold)) {
                recognised++;
                assertThat(r.body().path("match").path("person_code").asText()).as(probe.path())
                        .isEqualTo(codeOf.get(probe.bestIdentity()));
                assertThat(r.body().path("match").path("similarity_score").asDouble()).as(probe.path())
                        .isCloseTo(probe.similarity(), within(1e-4));
            } else {
                assertThat(r.body().path("match").isNull()).as("%s: %s", probe.path(), r.body()).isTrue();
            }
        }
        // What the dev photos give (README, Accuracy): every probe of an enrolled person is recognised as them.
        assertThat(recognised).isEqualTo(evaluator.probeOutcomes().size());
        assertThat(report.wrongPersonRate()).isZero();
    }

    @Test
    void noStrangerIsTakenForAnEnrolledPerson() throws Exception {
        int strangers = 0;
        for (String identity : identities.subList(ENROLLED, identities.size())) {
            for (Path photo : photos(identity)) {
                Reply r = http.post("/api/face/recognize", HttpLoad.recognizeBody(Files.readAllBytes(photo)));
                assertThat(r.status()).as("%s: %s", photo, r.body()).isEqualTo(200);
                assertThat(r.body().path("match").isNull()).as("%s: %s", photo, r.body()).isTrue();
                strangers++;
            }
        }
        assertThat(strangers).isEqualTo(35);
    }

    private static List<Path> photos(String identity) throws IOException {
        try (Stream<Path> files = Files.list(DevData.faces().resolve(identity))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}

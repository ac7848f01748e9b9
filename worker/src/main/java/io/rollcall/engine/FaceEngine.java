package io.rollcall.engine;

import io.rollcall.engine.align.FaceAligner;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.detect.PrimaryFace;
import io.rollcall.engine.detect.ScrfdDetector;
import io.rollcall.engine.embed.ArcFaceEmbedder;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.onnx.OnnxModel;
import io.rollcall.engine.quality.QualityAssessor;
import io.rollcall.engine.quality.QualityReport;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The face engine of one model pack: detect, align, embed, assess quality. Plain Java, shared by the worker, the
 * CLI and the benchmarks. Thread-safe: one ONNX session per model, shared by all callers, behind a fair
 * concurrency limit. Nothing here is static, so two packs can be loaded side by side.
 */
public final class FaceEngine implements AutoCloseable {
    /** Which faces of an image get an embedding. */
    public enum Embed { NONE, PRIMARY, ALL }

    private final ModelPack pack;
    private final EngineSettings settings;
    private final OnnxModel detectorModel;
    private final OnnxModel recognizerModel;
    private final ScrfdDetector detector;
    private final ArcFaceEmbedder embedder;
    private final Semaphore slots;
    /** Told the stage timings of every analysis (the worker turns them into metrics); no-op by default. */
    private volatile Consumer<StageTimings> stageObserver = timings -> { };

    private FaceEngine(ModelPack pack, EngineSettings settings, OnnxModel detectorModel, OnnxModel recognizerModel) {
        this.pack = pack;
        this.settings = settings;
        this.detectorModel = detectorModel;
        this.recognizerModel = recognizerModel;
        this.detector = new ScrfdDetector(detectorModel, pack.detector().input(), settings.detector());
        this.embedder = new ArcFaceEmbedder(recognizerModel, pack.recognizer().input(), pack.embeddingDim());
        this.slots = new Semaphore(settings.concurrentInferences(), true);
    }

    /**
     * Loads both models of a pack from verified files. Fails with {@code MODEL_NOT_LOADED} when either file is
     * missing, corrupt, or does not look like what the pack declares.
     */
    public static FaceEngine open(ModelPack pack, Path detectorFile, Path recognizerFile, EngineSettings settings) {
        OnnxModel det = OnnxModel.load(detectorFile, settings.intraOpThreads());
        try {
            OnnxModel rec = OnnxModel.load(recognizerFile, settings.intraOpThreads());
            try {
                return new FaceEngine(pack, settings, det, rec);
            } catch (RuntimeException e) {
                rec.close();
                throw e;
            }
        } catch (RuntimeException e) {
            det.close();
            throw e;
        }
    }

    public ModelPack pack() {
        return pack;
    }

    public EngineSettings settings() {
        return settings;
    }

    public void observeStages(Consumer<StageTimings> observer) {
        this.stageObserver = observer;
    }

    /** Nanoseconds spent inside ONNX Runtime by both models since the engine opened (for benchmarks). */
    public long inferenceNanos() {
        return detectorModel.inferenceNanos() + recognizerModel.inferenceNanos();
    }

    /** Detects every face and embeds those asked for. */
    public FaceAnalysis analyze(DecodedImage image, Embed embed) {
        return analyze(image.mat(), embed);
    }

    FaceAnalysis analyze(Mat bgr, Embed embed) {
        long start = System.nanoTime();
        acquireSlot();
        try {
            long granted = System.nanoTime();
            List<DetectedFace> faces = detector.detect(bgr);
            long detected = System.nanoTime();
            List<DetectedFace> toEmbed = switch (embed) {
                case NONE -> List.of();
                case ALL -> faces;
                case PRIMARY -> faces.isEmpty() ? List.of() : List.of(faces.get(0));
            };
            List<Mat> crops = new ArrayList<>(toEmbed.size());
            try {
                for (DetectedFace face : toEmbed) {
                    crops.add(FaceAligner.align(bgr, face));
                }
                long aligned = System.nanoTime();
                List<float[]> vectors = embedder.embed(crops);
                long embedded = System.nanoTime();
                List<AnalyzedFace> result = new ArrayList<>(faces.size());
                for (int i = 0; i < faces.size(); i++) {
                    result.add(new AnalyzedFace(faces.get(i), i < vectors.size() ? vectors.get(i) : null));
                }
                StageTimings timings = new StageTimings(ms(start, granted), ms(granted, detected),
                        ms(detected, aligned), ms(aligned, embedded));
                stageObserver.accept(timings);
                return new FaceAnalysis(result, timings);
            } finally {
                crops.forEach(Mat::close);
            }
        } finally {
            slots.release();
        }
    }

    /** The requirements' quality check of the photo's primary face. */
    public QualityReport assessQuality(DecodedImage image) {
        return assessQuality(image.mat());
    }

    QualityReport assessQuality(Mat bgr) {
        return inSlot(() -> {
            List<DetectedFace> faces = detector.detect(bgr);
            if (faces.isEmpty()) {
                return QualityAssessor.assess(bgr, faces, null);
            }
            try (Mat crop = FaceAligner.align(bgr, faces.get(0))) {
                return QualityAssessor.assess(bgr, faces, crop);
            }
        });
    }

    /**
     * The embedding to enroll from this photo: its primary face, passed through the quality gate when enabled.
     *
     * @throws RollcallException {@code NO_FACE_DETECTED}, {@code MULTIPLE_FACES} (no face clearly dominates) or
     *                           {@code LOW_QUALITY_IMAGE} (with the reason and measurements in details)
     */
    public Enrollment enrollmentEmbedding(DecodedImage image) {
        return enrollmentEmbedding(image.mat(), settings.qualityGate());
    }

    /**
     * As {@link #enrollmentEmbedding(DecodedImage)}, with the quality gate applied only when {@code gate} is true
     * (and enabled): a migration enrolls photos the old system already accepted and only reports their quality.
     */
    public Enrollment enrollmentEmbedding(DecodedImage image, boolean gate) {
        return enrollmentEmbedding(image.mat(), gate && settings.qualityGate());
    }

    Enrollment enrollmentEmbedding(Mat bgr) {
        return enrollmentEmbedding(bgr, settings.qualityGate());
    }

    private Enrollment enrollmentEmbedding(Mat bgr, boolean gate) {
        long start = System.nanoTime();
        return inSlot(() -> {
            long granted = System.nanoTime();
            List<DetectedFace> faces = detector.detect(bgr);
            long detected = System.nanoTime();
            if (faces.isEmpty()) {
                throw new RollcallException(ErrorCode.NO_FACE_DETECTED, "No face detected in the provided image");
            }
            Optional<DetectedFace> primary = PrimaryFace.of(faces);
            if (primary.isEmpty()) {
                throw new RollcallException(ErrorCode.MULTIPLE_FACES, faces.size()
                        + " faces of similar size detected; enrollment needs one clearly dominant face",
                        Map.of("face_count", faces.size()));
            }
            try (Mat crop = FaceAligner.align(bgr, primary.get())) {
                long aligned = System.nanoTime();
                QualityReport quality = QualityAssessor.assess(bgr, faces, crop);
                if (gate && !quality.suitableForEnrollment()) {
                    throw new RollcallException(ErrorCode.LOW_QUALITY_IMAGE,
                            "Image quality too poor for enrollment: " + quality.recommendation().wireName(),
                            Map.of("recommendation", quality.recommendation().wireName(), "quality_score", quality.score()));
                }
                long assessed = System.nanoTime();
                float[] embedding = embedder.embed(List.of(crop)).get(0);
                // The quality assessment between align and embed is not an engine stage of its own.
                stageObserver.accept(new StageTimings(ms(start, granted), ms(granted, detected), ms(detected, aligned),
                        ms(assessed, System.nanoTime())));
                return new Enrollment(primary.get(), embedding, quality, faces.size());
            }
        });
    }

    /**
     * The result of preparing a photo for enrollment.
     *
     * @param face      the face that will be enrolled
     * @param embedding its unit-length embedding
     * @param quality   its quality report
     * @param faceCount faces found in the photo
     */
    public record Enrollment(DetectedFace face, float[] embedding, QualityReport quality, int faceCount) {
    }

    /** Runs one inference-bound operation inside a slot of the concurrency limit. */
    private <T> T inSlot(Supplier<T> work) {
        acquireSlot();
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    private void acquireSlot() {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RollcallException(ErrorCode.REQUEST_TIMEOUT, "interrupted while waiting for an inference slot");
        }
    }

    private static double ms(long from, long to) {
        return (to - from) / 1e6;
    }

    @Override
    public void close() {
        detector.close();
        detectorModel.close();
        recognizerModel.close();
    }
}

package io.rollcall.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rollcall.engine.AnalyzedFace;
import io.rollcall.engine.FaceAnalysis;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.detect.BoundingBox;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.error.RollcallException;
import io.rollcall.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints one JSON line per image with every face's box, score, landmarks and embedding. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Detect and embed every face of each image; one JSON line per image (original pixel coordinates, faces by area).")
final class EmbedCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "<image>", description = "JPEG, PNG or WebP files")
    private List<Path> images;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(String path, List<FaceLine> faces, ErrorLine error) {
    }

    record FaceLine(float[] bbox, float score, float[][] kps, float[] embedding) {
        static FaceLine of(AnalyzedFace face) {
            DetectedFace d = face.detection();
            BoundingBox b = d.box();
            float[][] kps = d.keypoints().stream().map(p -> new float[] {p.x(), p.y()}).toArray(float[][]::new);
            return new FaceLine(new float[] {b.x1(), b.y1(), b.x2(), b.y2()}, d.score(), kps, face.embedding());
        }
    }

    record ErrorLine(String code, String message) {
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        int failures = 0;
        try (FaceEngine engine = EngineBootstrap.openFromEnvironment()) {
            ImageDecoder decoder = EngineBootstrap.decoder();
            for (Path path : images) {
                Line line;
                try (DecodedImage image = decoder.decode(Files.readAllBytes(path))) {
                    FaceAnalysis analysis = engine.analyze(image, FaceEngine.Embed.ALL);
                    line = new Line(path.toString(), analysis.faces().stream().map(FaceLine::of).toList(), null);
                } catch (RollcallException e) {
                    failures++;
                    line = new Line(path.toString(), null, new ErrorLine(e.code().name(), e.getMessage()));
                } catch (IOException e) {
                    failures++;
                    line = new Line(path.toString(), null, new ErrorLine("IO_ERROR", "cannot read file (" + e.getClass().getSimpleName() + ")"));
                }
                out.println(Json.MAPPER.writeValueAsString(line));
            }
        }
        return failures == 0 ? 0 : 1;
    }
}

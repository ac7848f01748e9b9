package io.rollcall.eval;

import io.rollcall.calibration.VerificationMetrics;
import io.rollcall.engine.AnalyzedFace;
import io.rollcall.engine.FaceAnalysis;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.error.RollcallException;
import io.rollcall.eval.EvalReport.GroupResult;
import io.rollcall.eval.EvalReport.KindResult;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.gallery.GalleryIndex;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.gallery.SearchOptions;
import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.recognize.ImpostorTailFit;
import io.rollcall.recognize.OpenSetDecision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * Measures a pack on a labelled folder {@code <identity>/<images>}: enroll each identity's first photo (by name), or
 * its first {@code enrollPhotos}, and probe with the rest. Folders starting with {@code _} are special: {@code _noface/} must yield no face and
 * {@code _group/} holds multi-face photos, annotated by an optional {@code groups.csv}.
 */
public final class Evaluator {
    private static final String NOFACE = "_noface";
    private static final String GROUP = "_group";

    /** The stranger rates the decision's curve is drawn at. */
    static final double[] CURVE_STRANGER_RATES = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2};

    private final FaceEngine engine;
    private final ImageDecoder decoder;
    private final OpenSetDecision decision;
    private final int enrollPhotos;
    private final Map<String, List<Double>> stageSamples = new LinkedHashMap<>();
    private final List<ProbeOutcome> probeOutcomes = new ArrayList<>();
    private double[] impostorScores = new double[0];
    private double[] strangerScores = new double[0];

    /**
     * @param decision the service's open-set decision ({@code WorkerConfig.recognition}), or a fixed threshold: the
     *                 report's accept and stranger rates are what the service would answer with it
     */
    public Evaluator(FaceEngine engine, ImageDecoder decoder, OpenSetDecision decision) {
        this(engine, decoder, decision, 1);
    }

    /**
     * @param enrollPhotos how many photos of each identity to enroll (the first by name that show a face), as a
     *                     school enrolls several samples per pupil; the gallery's size, for the decision, counts
     *                     every sample, as the service's does
     */
    public Evaluator(FaceEngine engine, ImageDecoder decoder, OpenSetDecision decision, int enrollPhotos) {
        if (enrollPhotos < 1) {
            throw new IllegalArgumentException("enroll photos must be at least 1, got " + enrollPhotos);
        }
        this.engine = engine;
        this.decoder = decoder;
        this.decision = decision;
        this.enrollPhotos = enrollPhotos;
        for (String stage : List.of("decode", "detect", "align", "embed", "search")) {
            stageSamples.put(stage, new ArrayList<>());
        }
    }

    /** One photo's outcome: the primary face's embedding ({@code null} without a face) and its kind. */
    private record Photo(String identity, Path path, float[] embedding, boolean grayscale, int faces) {
    }

    /**
     * What the gallery search said about one probe of an enrolled identity, before any threshold.
     *
     * @param path         the photo, relative to the dataset
     * @param bestIdentity the best-matching enrolled identity; null when no face was detected
     * @param similarity   its similarity; NaN without a face
     */
    public record ProbeOutcome(String path, String identity, String bestIdentity, double similarity) {
        /**
         * Accepted as {@code bestIdentity} at {@code threshold}: what recognition would answer. Compared in float, as
         * the gallery's search compares, so that a score on the threshold is decided the same way.
         */
        public boolean accepted(double threshold) {
            return bestIdentity != null && (float) similarity >= (float) threshold;
        }
    }

    /** Every impostor pair's similarity from the last {@link #run}: what {@code calibrate} fits the tail to. */
    public double[] impostorScores() {
        return impostorScores.clone();
    }

    /** The outcome at {@code threshold} on the last {@link #run}'s probes and strangers. */
    public OpenSetCurves.Point outcomeAt(double threshold) {
        return OpenSetCurves.point(probeOutcomes, strangerScores, threshold);
    }

    /** Every probe's outcome from the last {@link #run}, in dataset order. */
    public List<ProbeOutcome> probeOutcomes() {
        return List.copyOf(probeOutcomes);
    }

    public EvalReport run(Path dataset) {
        List<String> identities = listDirs(dataset).stream().filter(d -> !d.startsWith("_")).toList();
        Map<String, List<Photo>> photos = new LinkedHashMap<>();
        for (String identity : identities) {
            List<Photo> list = new ArrayList<>();
            for (Path file : listImages(dataset.resolve(identity))) {
                list.add(analyse(identity, file, FaceEngine.Embed.PRIMARY));
            }
            photos.put(identity, list);
        }

        // Enrollment: the first photos by name; a photo without a face is passed over for the next (reported).
        GalleryIndex gallery = new GalleryIndex(engine.pack().embeddingDim());
        Map<String, List<Photo>> enrolled = new LinkedHashMap<>();
        Map<String, String> identityByCode = new HashMap<>();
        List<String> fallbacks = new ArrayList<>();
        int samples = 0;
        for (String identity : identities) {
            List<Photo> list = photos.get(identity);
            List<Photo> chosen = list.stream().filter(p -> p.embedding() != null).limit(enrollPhotos).toList();
            if (chosen.isEmpty()) {
                continue;
            }
            for (Photo photo : chosen) {
                if (list.indexOf(photo) >= enrollPhotos) {
                    fallbacks.add(dataset.relativize(photo.path()).toString());
                }
            }
            String code = "E" + enrolled.size();
            identityByCode.put(code, identity);
            for (Photo photo : chosen) {
                gallery.add(samples++, new PersonRef(PersonType.STUDENT, code), photo.embedding());
            }
            enrolled.put(identity, chosen);
        }

        // The threshold the service would apply to this gallery of `samples` faces: one for the enrolled probes and
        // for the strangers, who search one identity fewer (negligible: the rule moves by about its scale ÷ N).
        double threshold = decision.threshold(samples);
        probeOutcomes.clear();
        int identityPhotos = 0;
        int detected = 0;
        int probes = 0;
        int rank1Hits = 0;
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        int[][] kindCounts = new int[2][4]; // [grey?][photos, detected, probes, rank1 hits]
        for (String identity : identities) {
            List<Photo> own = enrolled.getOrDefault(identity, List.of());
            for (Photo photo : photos.get(identity)) {
                identityPhotos++;
                int kind = photo.grayscale() ? 1 : 0;
                kindCounts[kind][0]++;
                if (photo.embedding() != null) {
                    detected++;
                    kindCounts[kind][1]++;
                }
                if (own.contains(photo)) {
                    continue;
                }
                probes++;
                kindCounts[kind][2]++;
                String relative = dataset.relativize(photo.path()).toString();
                if (photo.embedding() == null) {
                    probeOutcomes.add(new ProbeOutcome(relative, identity, null, Double.NaN));
                    continue;
                }
                long start = System.nanoTime();
                List<GalleryMatch> best = gallery.search(photo.embedding(), new SearchOptions(1, -1f, null));
                stageSamples.get("search").add((System.nanoTime() - start) / 1e6);
                if (!best.isEmpty() && identity.equals(identityByCode.get(best.get(0).person().code()))) {
                    rank1Hits++;
                    kindCounts[kind][3]++;
                }
                if (!best.isEmpty()) {
                    probeOutcomes.add(new ProbeOutcome(relative, identity, identityByCode.get(best.get(0).person().code()),
                            best.get(0).similarity()));
                }
                for (Map.Entry<String, List<Photo>> e : enrolled.entrySet()) {
                    for (Photo sample : e.getValue()) {
                        double s = dot(photo.embedding(), sample.embedding());
                        (e.getKey().equals(identity) ? genuine : impostor).add(s);
                    }
                }
            }
        }

        // Open set, leave-identity-out: every photo of an identity against all *other* enrolled identities.
        List<Double> strangerBest = new ArrayList<>();
        for (String identity : identities) {
            for (Photo photo : photos.get(identity)) {
                if (photo.embedding() == null) {
                    continue;
                }
                double bestOther = Double.NEGATIVE_INFINITY;
                for (Map.Entry<String, List<Photo>> e : enrolled.entrySet()) {
                    if (!e.getKey().equals(identity)) {
                        for (Photo sample : e.getValue()) {
                            bestOther = Math.max(bestOther, dot(photo.embedding(), sample.embedding()));
                        }
                    }
                }
                strangerBest.add(bestOther);
            }
        }

        int nofacePhotos = 0;
        int nofaceDetections = 0;
        if (Files.isDirectory(dataset.resolve(NOFACE))) {
            for (Path file : listImages(dataset.resolve(NOFACE))) {
                nofacePhotos++;
                nofaceDetections += analyse(NOFACE, file, FaceEngine.Embed.NONE).faces();
            }
        }

        List<GroupResult> groups = evaluateGroups(dataset, gallery, identityByCode, enrolled.keySet(), threshold);
        double[] strangers = toArray(strangerBest);
        strangerScores = strangers;
        impostorScores = toArray(impostor);
        OpenSetCurves curves = OpenSetCurves.of(probeOutcomes, strangers, samples, decision, CURVE_STRANGER_RATES);
        OpenSetCurves.Point atThreshold = OpenSetCurves.point(probeOutcomes, strangers, threshold);

        VerificationMetrics metrics = new VerificationMetrics(toArray(genuine), toArray(impostor));
        Map<String, KindResult> byKind = new LinkedHashMap<>();
        String[] kindNames = {"colour", "grayscale"};
        for (int k = 0; k < 2; k++) {
            int[] c = kindCounts[k];
            if (c[0] > 0) {
                byKind.put(kindNames[k], new KindResult(c[0], c[2], ratio(c[1], c[0]), ratio(c[3], c[2])));
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        stageSamples.forEach((stage, times) -> medians.put(stage, round(median(times))));
        return new EvalReport(engine.pack().name(), dataset.toString(), identities.size(), enrollPhotos, samples,
                identityPhotos, probes,
                round(ratio(detected, identityPhotos)), round(ratio(rank1Hits, probes)),
                round(metrics.tarAtFar(1e-2)), round(metrics.tarAtFar(1e-3)),
                round(atThreshold.strangersAccepted()), round(threshold), decision.describe(),
                round(atThreshold.tar()), round(atThreshold.wrongPerson()), strangers.length,
                round(metrics.thresholdAtFar(1e-2)), round(metrics.thresholdAtFar(1e-3)),
                genuine.size(), impostor.size(), fitTail(impostor), nofacePhotos, nofaceDetections, fallbacks, byKind,
                groups, curves, medians);
    }

    /** The dataset's own impostor tail at FAR 1e-3, when it has enough pairs to fit one; else null. */
    private static ModelPack.ImpostorTail fitTail(List<Double> impostor) {
        try {
            return ImpostorTailFit.fit(toArray(impostor), 1e-3);
        } catch (IllegalArgumentException tooFew) {
            return null;
        }
    }

    private List<GroupResult> evaluateGroups(Path dataset, GalleryIndex gallery, Map<String, String> identityByCode,
                                             java.util.Set<String> enrolledIdentities, double threshold) {
        Path dir = dataset.resolve(GROUP);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Map<String, String[]> annotations = readGroupAnnotations(dataset.resolve("groups.csv"));
        List<GroupResult> results = new ArrayList<>();
        for (Path file : listImages(dir)) {
            String rel = GROUP + "/" + file.getFileName();
            FaceAnalysis analysis;
            try (DecodedImage image = decoder.decode(Files.readAllBytes(file))) {
                analysis = engine.analyze(image, FaceEngine.Embed.ALL);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> recognised = new ArrayList<>();
            for (AnalyzedFace face : analysis.faces()) {
                List<GalleryMatch> hit = gallery.search(face.embedding(), new SearchOptions(1, (float) threshold, null));
                if (!hit.isEmpty()) {
                    recognised.add(identityByCode.get(hit.get(0).person().code()));
                }
            }
            String[] row = annotations.get(rel);
            Integer expected = row != null && !row[1].isBlank() ? Integer.valueOf(row[1].trim()) : null;
            List<String> present = row == null || row[2].isBlank() ? List.of()
                    : Arrays.stream(row[2].split(";")).map(String::trim).filter(enrolledIdentities::contains).toList();
            List<String> found = present.stream().filter(recognised::contains).toList();
            List<String> missed = present.stream().filter(p -> !recognised.contains(p)).toList();
            results.add(new GroupResult(rel, expected, analysis.faceCount(), found, missed));
        }
        return results;
    }

    /**
     * {@code groups.csv}: path,expected_faces,enrolled_identities_present,note. Only the last column may contain
     * commas (it is free text), so a split into at most four fields is exact for the first three.
     */
    private static Map<String, String[]> readGroupAnnotations(Path csv) {
        Map<String, String[]> rows = new HashMap<>();
        if (!Files.isRegularFile(csv)) {
            return rows;
        }
        try {
            List<String> lines = Files.readAllLines(csv);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.split(",", 4);
                if (fields.length >= 3) {
                    rows.put(fields[0].trim(), fields);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private Photo analyse(String identity, Path file, FaceEngine.Embed embed) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long start = System.nanoTime();
        try (DecodedImage image = decoder.decode(bytes)) {
            stageSamples.get("decode").add((System.nanoTime() - start) / 1e6);
            FaceAnalysis analysis = engine.analyze(image, embed);
            stageSamples.get("detect").add(analysis.timings().detectMs());
            if (embed != FaceEngine.Embed.NONE && analysis.faceCount() > 0) {
                stageSamples.get("align").add(analysis.timings().alignMs());
                stageSamples.get("embed").add(analysis.timings().embedMs());
            }
            float[] embedding = analysis.faceCount() > 0 ? analysis.faces().get(0).embedding() : null;
            return new Photo(identity, file, embedding, isGrayscale(image.mat()), analysis.faceCount());
        } catch (RollcallException e) {
            throw new IllegalStateException("cannot evaluate " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when every pixel has equal blue, green and red: a grayscale photo stored as colour or decoded from grey. */
    private static boolean isGrayscale(Mat bgr) {
        try (MatVector channels = new MatVector(); Mat diff = new Mat()) {
            opencv_core.split(bgr, channels);
            opencv_core.absdiff(channels.get(0), channels.get(1), diff);
            if (opencv_core.countNonZero(diff) > 0) {
                return false;
            }
            opencv_core.absdiff(channels.get(1), channels.get(2), diff);
            return opencv_core.countNonZero(diff) == 0;
        }
    }

    private static List<String> listDirs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list dataset " + dir, e);
        }
    }

    private static List<Path> listImages(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png|webp)"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double ratio(int num, int den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }

    private static double median(List<Double> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = toArray(samples);
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : v;
    }
}

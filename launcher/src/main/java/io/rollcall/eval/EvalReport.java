package io.rollcall.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rollcall.engine.model.ModelPack;
import java.util.List;
import java.util.Map;

/**
 * Accuracy and speed of one pack on one labelled dataset. Field names are a contract (benchmarks and the README
 * table read them); the rates are fractions in 0..1.
 *
 * @param enrollPhotos            photos enrolled per identity (at most; {@code --enroll-photos})
 * @param galleryFaces            samples enrolled in all: the gallery size the decision's threshold is for
 * @param detectionRate           identity photos with at least one face ÷ identity photos
 * @param rank1                   probes whose best-matching enrolled person is the right one ÷ probes
 *                                (a probe without a detected face counts as a miss)
 * @param tarAtFar1e2             genuine probe/enrollment pairs accepted at the threshold where 1 % of impostor pairs pass
 * @param tarAtFar1e3             the same at 0.1 %
 * @param openSetFalseAcceptRate  strangers accepted as someone: leave-identity-out, each identity's photos probed
 *                                against everyone else; fraction whose best match reaches {@code threshold}
 * @param threshold               the threshold the service's decision gives this gallery (or {@code --threshold})
 * @param decision                that decision, in words
 * @param tarAtThreshold          enrolled probes with a face accepted as the right person at {@code threshold}: what
 *                                recognition answers, rank included (a better match of someone else is not a hit)
 * @param wrongPersonRate         enrolled probes with a face accepted as someone else at {@code threshold}
 * @param strangers               how many stranger probes {@code openSetFalseAcceptRate} is over
 * @param thresholdAtFar1e2       the similarity threshold that gives FAR 1e-2 on this dataset's impostor pairs
 * @param thresholdAtFar1e3       the same at 1e-3
 * @param impostorTail            this dataset's impostor tail at FAR 1e-3 ({@code ./rollcall calibrate}); null with
 *                                too few pairs to fit one
 * @param curves                  accepted vs strangers accepted, for fixed thresholds and for the decision
 * @param nofaceFalseDetections   faces detected in the {@code _noface} photos (should be 0)
 * @param stageMs                 median milliseconds per image of decode, detect, align, embed, and per probe of search
 */
public record EvalReport(
        String pack,
        String dataset,
        int identities,
        int enrollPhotos,
        int galleryFaces,
        int identityPhotos,
        int probes,
        @JsonProperty("detection_rate") double detectionRate,
        @JsonProperty("rank1") double rank1,
        @JsonProperty("tar_at_far_1e-2") double tarAtFar1e2,
        @JsonProperty("tar_at_far_1e-3") double tarAtFar1e3,
        @JsonProperty("open_set_false_accept_rate") double openSetFalseAcceptRate,
        double threshold,
        String decision,
        double tarAtThreshold,
        double wrongPersonRate,
        int strangers,
        @JsonProperty("threshold_at_far_1e-2") double thresholdAtFar1e2,
        @JsonProperty("threshold_at_far_1e-3") double thresholdAtFar1e3,
        int genuinePairs,
        int impostorPairs,
        ModelPack.ImpostorTail impostorTail,
        int nofacePhotos,
        @JsonProperty("noface_false_detections") int nofaceFalseDetections,
        List<String> enrollmentFallbacks,
        Map<String, KindResult> byKind,
        List<GroupResult> groups,
        OpenSetCurves curves,
        @JsonProperty("stage_ms") Map<String, Double> stageMs) {

    /**
     * Results for one kind of photo (colour or grayscale), since some detectors miss margin-less grayscale crops.
     */
    public record KindResult(int photos, int probes, double detectionRate, double rank1) {
    }

    /**
     * One multi-face photo.
     *
     * @param expectedFaces  the annotated count, or {@code null} where none is given
     * @param enrolledFound  enrolled identities annotated as present that were recognised at the threshold
     * @param enrolledMissed enrolled identities annotated as present that were not
     */
    public record GroupResult(String path, Integer expectedFaces, int detectedFaces, List<String> enrolledFound,
                              List<String> enrolledMissed) {
    }
}

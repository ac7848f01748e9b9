package io.rollcall.enroll;

import io.rollcall.engine.model.ModelPack;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.person.PersonRef;
import io.rollcall.recognize.OpenSetDecision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The enrollment rules that compare a new face with what is enrolled, and the sample limit: one place for the real
 * enrollment and its rehearsal ({@link FaceEnrollment}), each with the settings of the pack it runs on.
 */
final class EnrollmentChecks {
    private final Function<ModelPack, EnrollmentSettings> settingsOf;
    private final Function<ModelPack, OpenSetDecision> decisionOf;

    EnrollmentChecks(Function<ModelPack, EnrollmentSettings> settingsOf, Function<ModelPack, OpenSetDecision> decisionOf) {
        this.settingsOf = settingsOf;
        this.decisionOf = decisionOf;
    }

    /** The rules that compare the face with the enrolled ones, in order, against {@code gallery}. */
    void compare(FaceEnrollment.Request r, float[] embedding, Gallery gallery, ModelPack pack) {
        if (!r.rules().allowDuplicate()) {
            refuseOtherPersonsFace(r.person(), embedding, gallery, pack);
        }
        if (!r.rules().allowMismatch()) {
            refuseMismatchedSample(r.person(), embedding, gallery, pack);
        }
    }

    void refuseBeyondSampleLimit(PersonRef person, int existing, ModelPack pack) {
        EnrollmentSettings settings = settingsOf.apply(pack);
        if (existing >= settings.maxSamplesPerPerson()) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, person + " already has " + existing
                    + " face samples, the most allowed (MAX_SAMPLES_PER_PERSON); delete some first",
                    Map.of("field", "person_code", "samples", existing));
        }
    }

    /**
     * {@code DUPLICATE_ENROLLMENT} when the face already belongs to someone else in the gallery: at
     * {@code DUPLICATE_THRESHOLD}, or at the recognition decision's threshold where a large gallery puts that higher
     * (a face is only "someone else's" if recognition would say so).
     */
    private void refuseOtherPersonsFace(PersonRef person, float[] embedding, Gallery gallery, ModelPack pack) {
        EnrollmentSettings settings = settingsOf.apply(pack);
        OpenSetDecision decision = decisionOf.apply(pack);
        double threshold = Math.max(settings.duplicateThreshold(), decision.threshold(gallery.size()));
        for (GalleryMatch m : gallery.nearest(embedding, 2)) {
            if (!m.person().equals(person) && m.similarity() >= threshold) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("matched_person_type", m.person().type().wireName());
                details.put("matched_person_code", m.person().code());
                details.put("matched_person_name", gallery.name(m.person()));
                details.put("similarity_score", round(m.similarity()));
                details.put("override", "set allow_duplicate to enroll anyway");
                throw new RollcallException(ErrorCode.DUPLICATE_ENROLLMENT, "This face is already enrolled as " + m.person(), details);
            }
        }
    }

    /**
     * {@code SAMPLE_MISMATCH} when the person already has samples and this face is like none of them. A person's
     * first sample has nothing to be compared with.
     */
    private void refuseMismatchedSample(PersonRef person, float[] embedding, Gallery gallery, ModelPack pack) {
        EnrollmentSettings settings = settingsOf.apply(pack);
        Optional<GalleryMatch> best = gallery.bestOf(person, embedding);
        if (best.isPresent() && best.get().similarity() < settings.sampleMatchThreshold()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("person_type", person.type().wireName());
            details.put("person_code", person.code());
            details.put("similarity_score", round(best.get().similarity()));
            details.put("threshold", settings.sampleMatchThreshold());
            details.put("closest_sample_id", best.get().sampleId());
            details.put("override", "set allow_mismatch to enroll anyway");
            throw new RollcallException(ErrorCode.SAMPLE_MISMATCH, "This face does not look like " + person
                    + "'s enrolled photos (similarity " + round(best.get().similarity()) + ", below "
                    + settings.sampleMatchThreshold() + ")", details);
        }
    }

    private static double round(float similarity) {
        return Math.round(similarity * 10_000) / 10_000.0;
    }
}

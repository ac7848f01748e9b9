package io.rollcall.ingress.face;

import io.rollcall.ingress.http.ImageText;
import java.util.List;

/**
 * The HTTP request bodies, field for field as the requirements (and the Node.js server) send them; JSON names
 * are snake_case. Every field is optional here and checked by {@link Fields}, so a missing or malformed field
 * is a VALIDATION_ERROR naming it rather than a generic parse failure.
 */
final class FaceRequests {
    private FaceRequests() {
    }

    record Enroll(String personType, String personCode, String personName, ImageText imageBase64, String originalName,
                  Boolean allowDuplicate, Boolean allowMismatch) {
    }

    /** The body of recognize and recognize-group alike: the same photo fields and options. */
    record Recognize(ImageText imageBase64, String personType, Double similarityThreshold, String sourceImageName,
                     Integer sessionId) {
    }

    record Verify(ImageText image1Base64, ImageText image2Base64, Double similarityThreshold) {
    }


    record Delete(String personType, String personCode) {
    }

    record BatchEnroll(List<Enroll> enrollments, Boolean allowDuplicate) {
    }

    record QualityCheck(ImageText imageBase64) {
    }
}

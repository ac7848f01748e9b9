package io.rollcall.recognize;

import io.rollcall.attendance.AttendanceMark;
import io.rollcall.attendance.AttendanceRecorder;
import io.rollcall.attendance.AttendanceSettings;
import io.rollcall.attendance.Session;
import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.detect.DetectedFace;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.GalleryMatch;
import io.rollcall.gallery.GallerySync;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.PackRuntime;
import io.rollcall.inference.Photos;
import io.rollcall.person.PersonType;
import io.rollcall.recognize.RecognitionLog.RecognitionEvent;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The recognition use cases: the face at the classroom door (1:N), every face in a classroom photo, and whether two
 * photos show the same person (1:1). A recognised student is marked present or late when the request names a
 * session; every attempt at the door is recorded in the {@link RecognitionLog}.
 */
public final class FaceRecognition {
    /** How long a recognition waits for this worker's gallery to catch up with enrollments made elsewhere. */
    private static final Duration CATCH_UP = Duration.ofSeconds(5);

    private final Function<ModelPack, RecognitionSettings> settings;
    private final ActivePack packs;
    private final Photos photos;
    private final AttendanceRecorder attendance;
    private final AttendanceSettings attendanceSettings;

    /** @param settings the decision's settings for a pack (its threshold and impostor tail) */
    public FaceRecognition(Function<ModelPack, RecognitionSettings> settings, ActivePack packs, Photos photos,
                           AttendanceRecorder attendance, AttendanceSettings attendanceSettings) {
        this.settings = settings;
        this.packs = packs;
        this.photos = photos;
        this.attendance = attendance;
        this.attendanceSettings = attendanceSettings;
    }

    /**
     * A photo to recognise.
     *
     * @param filter          only persons of this type, or null for both
     * @param threshold       the request's own similarity threshold, or null for the configured one
     * @param sourceImageName the client's name for the photo, recorded in the log; may be null
     * @param sessionId       the session to mark recognised students in, or null
     */
    public record Probe(byte[] image, PersonType filter, Double threshold, String sourceImageName, Integer sessionId) {
    }

    /**
     * One face and who it is.
     *
     * @param personName the match's display name ("" when the school has none); null without a match
     * @param attendance the mark made for a recognised student when the probe named a session
     */
    public record RecognizedFace(DetectedFace face, Optional<GalleryMatch> match, String personName, double threshold,
                                 double confidence, Optional<AttendanceMark> attendance) {
    }

    /** The largest face in the photo. @throws RollcallException {@code NO_FACE_DETECTED}, and the usual failures */
    public RecognizedFace recognize(Probe probe, RecognitionLog log) {
        PackRuntime pack = packs.current();
        GallerySync sync = pack.sync();
        double threshold = threshold(pack, probe);
        Optional<Session> session = session(probe.sessionId());
        FaceEngine engine = pack.engines().engine();
        Runnable caughtUp = sync.startCatchUp(CATCH_UP);
        Recognizer.Recognition r;
        try (DecodedImage image = photos.decode(probe.image())) {
            r = new Recognizer(engine, sync.gallery()).recognize(image, probe.filter(), threshold, caughtUp);
        } catch (RollcallException e) {
            log.record(new RecognitionEvent("recognize", Optional.empty(), null, e.code(), probe.sourceImageName(),
                    probe.sessionId(), engine.pack().name()));
            throw e;
        }
        RecognizedFace face = recognized(sync, r, session);
        log.record(event("recognize", face, probe, engine));
        return face;
    }

    /** Every face in the photo, largest first; none is not an error here. */
    public List<RecognizedFace> recognizeGroup(Probe probe, RecognitionLog log) {
        PackRuntime pack = packs.current();
        GallerySync sync = pack.sync();
        double threshold = threshold(pack, probe);
        Optional<Session> session = session(probe.sessionId());
        FaceEngine engine = pack.engines().engine();
        Runnable caughtUp = sync.startCatchUp(CATCH_UP);
        List<Recognizer.Recognition> all;
        try (DecodedImage image = photos.decode(probe.image())) {
            all = new Recognizer(engine, sync.gallery()).recognizeAll(image, probe.filter(), threshold, caughtUp);
        }
        List<RecognizedFace> faces = new ArrayList<>(all.size());
        for (Recognizer.Recognition r : all) {
            RecognizedFace face = recognized(sync, r, session);
            faces.add(face);
            log.record(event("recognize_group", face, probe, engine));
        }
        if (faces.isEmpty()) {
            log.record(new RecognitionEvent("recognize_group", Optional.empty(), null,
                    io.rollcall.error.ErrorCode.NO_FACE_DETECTED, probe.sourceImageName(), probe.sessionId(), engine.pack().name()));
        }
        return faces;
    }

    /** Whether the primary faces of two photos are the same person, at the request's threshold or the configured one. */
    public Recognizer.Verification verify(byte[] first, byte[] second, Double requestedThreshold) {
        PackRuntime pack = packs.current();
        double threshold = settings.apply(pack.pack()).threshold(requestedThreshold, 1);
        FaceEngine engine = pack.engines().engine();
        try (DecodedImage a = photos.decode(first); DecodedImage b = photos.decode(second)) {
            return new Recognizer(engine, pack.sync().gallery()).verify(a, b, threshold);
        }
    }

    /** The threshold a probe is decided with: its own, else the decision's for the faces it is searched against. */
    private double threshold(PackRuntime pack, Probe probe) {
        return settings.apply(pack.pack()).threshold(probe.threshold(), pack.sync().gallery().size(probe.filter()));
    }

    private Optional<Session> session(Integer sessionId) {
        return sessionId == null ? Optional.empty() : Optional.of(attendance.requireSession(sessionId));
    }

    private RecognizedFace recognized(GallerySync sync, Recognizer.Recognition r, Optional<Session> session) {
        Optional<AttendanceMark> mark = r.match().flatMap(m -> mark(session, m));
        String name = r.match().map(m -> sync.gallery().name(m.person())).orElse(null);
        return new RecognizedFace(r.face(), r.match(), name, r.threshold(), r.confidence(), mark);
    }

    /** Attendance for a recognised student when the request names a session; teachers are not marked. */
    private Optional<AttendanceMark> mark(Optional<Session> session, GalleryMatch m) {
        if (session.isEmpty() || m.person().type() != PersonType.STUDENT) {
            return Optional.empty();
        }
        LocalDateTime now = LocalDateTime.now(attendanceSettings.schoolZone());
        return Optional.of(attendance.record(session.get(), m.person().code(), now));
    }

    private static RecognitionEvent event(String operation, RecognizedFace face, Probe probe, FaceEngine engine) {
        return new RecognitionEvent(operation, face.match(), face.match().isPresent() ? face.confidence() : null, null,
                probe.sourceImageName(), probe.sessionId(), engine.pack().name());
    }
}

package io.rollcall.ingress.face;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.gateway.FaceGateway;
import io.rollcall.ingress.gateway.WorkerRoster;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.http.RequestIds;
import io.rollcall.ingress.http.SchoolTime;
import io.rollcall.schemas.StatusCommand;
import io.rollcall.schemas.StatusResult;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/health}: the requirements' fields, answered by a worker through the same path as every request,
 * so "healthy" means a request really can be served. 200 when a worker answered with its model loaded and its
 * database reachable, 503 otherwise (the body still says what is wrong).
 */
@RestController
public final class HealthController {
    private final FaceGateway gateway;
    private final WorkerRoster roster;
    private final SchoolTime time;

    public HealthController(FaceGateway gateway, WorkerRoster roster, IngressSettings settings) {
        this.gateway = gateway;
        this.roster = roster;
        this.time = settings.schoolTime();
    }

    /**
     * The requirements' fields, then the answering worker's gallery state, then every worker that reported within
     * the last half minute: a health request reaches one worker, and the others are seen through their heartbeats.
     * {@code similarity_threshold} is the one the answering worker applies to its whole gallery now, and
     * {@code decision} says which rule gave it (the open-set rule follows the gallery's size).
     */
    public record Health(String status, String message, int enrolledFaces, boolean modelLoaded, Double similarityThreshold,
                         String decision, String modelPack, String worker, boolean kafka, boolean database, Long residentMemoryMb,
                         Long galleryMemoryMb, Long galleryVersion, String lastReconciledAt, List<WorkerBody> workers) {
    }

    /** One worker as health shows it. */
    public record WorkerBody(String workerId, String lastSeen, String modelPack, boolean modelLoaded, boolean database,
                             int enrolledFaces, Long galleryVersion, String lastReconciledAt, int lastReconcileChanges) {
        static WorkerBody of(WorkerRoster.WorkerState w, SchoolTime time) {
            return new WorkerBody(w.workerId(), time.toSecond(w.lastSeen()), w.modelPack(), w.modelLoaded(), w.databaseOk(),
                    w.enrolledFaces(), w.galleryVersion(), time.toSecond(w.lastReconciledAt()), w.lastReconcileChanges());
        }
    }

    @GetMapping("/api/health")
    public ResponseEntity<Health> health(HttpServletRequest http) {
        List<WorkerBody> workers = roster.current(Instant.now()).stream().map(w -> WorkerBody.of(w, time)).toList();
        StatusResult s;
        String worker;
        try {
            var reply = gateway.call(RequestIds.of(http), http.getRemoteAddr(), StatusCommand.newBuilder().build());
            s = (StatusResult) reply.getResult();
            worker = reply.getWorkerId();
        } catch (RollcallException e) {
            return ResponseEntity.status(503).body(new Health("unhealthy", "No worker answered: " + e.getMessage(), 0, false,
                    null, null, null, null, e.code() != ErrorCode.SERVICE_UNAVAILABLE, false, null, null, null, null, workers));
        }
        boolean healthy = s.getModelLoaded() && s.getDatabaseOk();
        String message = healthy ? "All systems operational"
                : !s.getModelLoaded() ? "Model not loaded: " + s.getModelError() : "Database unavailable";
        Health body = new Health(healthy ? "healthy" : "degraded", message, s.getEnrolledFaces(), s.getModelLoaded(),
                s.getSimilarityThreshold(), s.getDecision(), s.getModelPack(), worker, true, s.getDatabaseOk(), s.getResidentMemoryMb(),
                s.getGalleryMemoryMb(), s.getGalleryVersion(), time.toSecond(s.getLastReconciledAt()), workers);
        return ResponseEntity.status(healthy ? 200 : 503).body(body);
    }
}

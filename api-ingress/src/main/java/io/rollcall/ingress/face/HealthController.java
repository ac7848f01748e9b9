package io.rollcall.ingress.face;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.gateway.FaceGateway;
import io.rollcall.ingress.http.RequestIds;
import io.rollcall.schemas.StatusCommand;
import io.rollcall.schemas.StatusResult;
import jakarta.servlet.http.HttpServletRequest;
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

    public HealthController(FaceGateway gateway) {
        this.gateway = gateway;
    }

    public record Health(String status, String message, int enrolledFaces, boolean modelLoaded, Double similarityThreshold,
                         String modelPack, String worker, boolean kafka, boolean database, Long residentMemoryMb) {
    }

    @GetMapping("/api/health")
    public ResponseEntity<Health> health(HttpServletRequest http) {
        StatusResult s;
        String worker;
        try {
            var reply = gateway.call(RequestIds.of(http), http.getRemoteAddr(), StatusCommand.newBuilder().build());
            s = (StatusResult) reply.getResult();
            worker = reply.getWorkerId();
        } catch (RollcallException e) {
            return ResponseEntity.status(503).body(new Health("unhealthy", "No worker answered: " + e.getMessage(), 0, false,
                    null, null, null, e.code() != ErrorCode.SERVICE_UNAVAILABLE, false, null));
        }
        boolean healthy = s.getModelLoaded() && s.getDatabaseOk();
        String message = healthy ? "All systems operational"
                : !s.getModelLoaded() ? "Model not loaded: " + s.getModelError() : "Database unavailable";
        Health body = new Health(healthy ? "healthy" : "degraded", message, s.getEnrolledFaces(), s.getModelLoaded(),
                s.getSimilarityThreshold(), s.getModelPack(), worker, true, s.getDatabaseOk(), s.getResidentMemoryMb());
        return ResponseEntity.status(healthy ? 200 : 503).body(body);
    }
}

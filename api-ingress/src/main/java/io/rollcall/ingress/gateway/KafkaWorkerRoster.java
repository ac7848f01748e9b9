package io.rollcall.ingress.gateway;

import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.TopicFollower;
import io.rollcall.messaging.Topics;
import io.rollcall.schemas.StatusResult;
import io.rollcall.schemas.WorkerHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The roster from the compacted worker-status topic, which every worker writes every 10 s. */
public final class KafkaWorkerRoster implements WorkerRoster, AutoCloseable {
    /** Three heartbeats missed: the worker is gone (stopped without a last word, or cut off). */
    static final Duration SILENCE = Duration.ofSeconds(30);

    private final Map<String, WorkerHeartbeat> latest = new ConcurrentHashMap<>();
    private final TopicFollower<WorkerHeartbeat> follower;

    public KafkaWorkerRoster(KafkaClients kafka, Topics topics) {
        this.follower = new TopicFollower<>(kafka, topics.workerStatus(), WorkerHeartbeat.class,
                beat -> latest.merge(beat.getWorkerId(), beat, (old, now) -> now.getSentAt().isBefore(old.getSentAt()) ? old : now));
    }

    @Override
    public List<WorkerState> current(Instant now) {
        return latest.values().stream()
                .filter(beat -> !beat.getStopping() && beat.getSentAt().isAfter(now.minus(SILENCE)))
                .map(KafkaWorkerRoster::state)
                .sorted(Comparator.comparing(WorkerState::workerId))
                .toList();
    }

    private static WorkerState state(WorkerHeartbeat beat) {
        StatusResult s = beat.getStatus();
        return new WorkerState(beat.getWorkerId(), beat.getSentAt(), s.getModelPack(), s.getModelLoaded(), s.getDatabaseOk(),
                s.getEnrolledFaces(), s.getGalleryVersion(), s.getLastReconciledAt(), s.getLastReconcileChanges(),
                s.getCandidatePack(), s.getCandidateState());
    }

    @Override
    public void close() {
        follower.close();
    }
}

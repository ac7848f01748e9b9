package io.rollcall.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.RollcallException;
import io.rollcall.ingress.gateway.FaceGateway;
import io.rollcall.schemas.FaceReply;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * Stands in for the workers: records every command the ingress hands over and answers with a canned result, or
 * throws the {@link RollcallException} a worker (or the Kafka path) would have produced.
 */
public final class FakeFaceGateway implements FaceGateway {
    public static final String WORKER_ID = "worker-test-1";

    /** One hand-over to the workers. */
    public record Call(String requestId, String client, SpecificRecord command) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<SpecificRecord, SpecificRecord> worker = FakeFaceGateway::unexpected;

    /** Every command is answered with {@code result}. */
    public void answer(SpecificRecord result) {
        worker = command -> result;
    }

    /** Each command is answered by {@code worker}, which may throw a {@link RollcallException}; called concurrently. */
    public void answer(Function<SpecificRecord, SpecificRecord> worker) {
        this.worker = worker;
    }

    /** Every command fails with {@code error}. */
    public void fail(RollcallException error) {
        worker = command -> {
            throw error;
        };
    }

    public void reset() {
        calls.clear();
        worker = FakeFaceGateway::unexpected;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public Call onlyCall() {
        assertThat(calls).as("calls to the workers").hasSize(1);
        return calls.getFirst();
    }

    /** The one command handed over, which must be a {@code type}. */
    public <T extends SpecificRecord> T onlyCommand(Class<T> type) {
        return type.cast(assertThat(onlyCall().command()).isInstanceOf(type).actual());
    }

    @Override
    public FaceReply call(String requestId, String client, SpecificRecord command) {
        calls.add(new Call(requestId, client, command));
        SpecificRecord result = worker.apply(command);
        return FaceReply.newBuilder()
                .setRequestId(requestId)
                .setSuccess(true)
                .setWorkerId(WORKER_ID)
                .setProcessingTimeMs(12)
                .setResult(result)
                .build();
    }

    private static SpecificRecord unexpected(SpecificRecord command) {
        throw new IllegalStateException("the test gave no answer for a " + command.getSchema().getName());
    }
}

package io.rollcall.ingress.gateway;

import io.rollcall.schemas.FaceReply;
import org.apache.avro.specific.SpecificRecord;

/** Hands one command to the workers and waits for the answer. */
public interface FaceGateway {
    /**
     * @param requestId the HTTP request's id, carried through to the worker and its logs
     * @param client    who asked (for logs)
     * @param command   one of the FaceRequest command records
     * @return the worker's successful reply
     * @throws io.rollcall.error.RollcallException the worker's error, {@code REQUEST_TIMEOUT} when no worker answered
     *                                             in time, {@code SERVICE_UNAVAILABLE} when the broker is unreachable
     */
    FaceReply call(String requestId, String client, SpecificRecord command);
}

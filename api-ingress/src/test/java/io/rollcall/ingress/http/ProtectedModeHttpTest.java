package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rollcall.error.ErrorCode;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.StatusCommand;
import io.rollcall.schemas.StatusResult;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Without any key configured, only callers on the server itself are served (as Redis's protected mode): a fresh
 * installation on the school network must not give every machine there the roster. 127.0.0.200 is a trusted proxy,
 * so the original client it names is the caller.
 */
@TestPropertySource(properties = "ingress.env.TRUSTED_PROXIES=127.0.0.200")
class ProtectedModeHttpTest extends IngressHttpTest {
    static final String MESSAGE = "No API keys are configured, so only callers on the server itself are served. Set API_KEYS"
            + " (and ADMIN_API_KEYS for deleting, bulk imports and /api/admin/) and send a key, or set ALLOW_ANONYMOUS=true"
            + " to let anyone who can reach this port call the API without one";

    @LocalServerPort
    int port;

    @BeforeEach
    void workerAnswersEverything() {
        gateway.answer(command -> command instanceof StatusCommand
                ? StatusResult.newBuilder().setModelPack("buffalo_l").setModelLoaded(true).setEnrolledFaces(0)
                        .setEnrolledPersons(0).setSimilarityThreshold(0.6).setDatabaseOk(true).build()
                : ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build());
    }

    private HttpAnswer listFor(String forwardedClient) {
        return sendFrom(200, request("/api/face/list/all").GET(), "X-Forwarded-For", forwardedClient);
    }

    @Test
    void aCallerOnThisMachineIsServed() {
        assertThat(get("/api/face/list/all").status()).isEqualTo(200);
        assertThat(sendFrom(9, request("/api/face/list/all").GET()).status()).isEqualTo(200);
    }

    @Test
    void aCallerFromTheNetworkIsToldHowToOpenTheApi() {
        HttpAnswer answer = listFor("192.0.2.44");

        answer.assertError(401, ErrorCode.UNAUTHORIZED);
        assertThat(answer.message()).isEqualTo(MESSAGE);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void healthStaysPublic() {
        assertThat(sendFrom(200, request("/api/health").GET(), "X-Forwarded-For", "192.0.2.45").status()).isEqualTo(200);
    }

    @Test
    void aProxyOnThisMachineForwardingALocalCallerIsServed() {
        assertThat(listFor("127.0.0.1").status()).isEqualTo(200);
    }

    @Test
    void anUntrustedLocalProxyIsItselfTheCaller() {
        assertThat(sendFrom(9, request("/api/face/list/all").GET(), "X-Forwarded-For", "192.0.2.46").status()).isEqualTo(200);
    }

    @Test
    void aConnectionFromAnotherAddressOfThisMachineIsNotLoopback() throws SocketException {
        Optional<InetAddress> lan = nonLoopbackAddress();
        assumeTrue(lan.isPresent(), "this machine has a non-loopback IPv4 address");

        HttpAnswer answer = sendFrom(lan.get().getHostAddress(),
                request("/api/face/list/all").uri(URI.create("http://127.0.0.1:" + port + "/api/face/list/all")).GET());

        answer.assertError(401, ErrorCode.UNAUTHORIZED);
        assertThat(gateway.calls()).isEmpty();
    }

    static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                }).flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
    }

    @Nested
    @TestPropertySource(properties = "ingress.env.ALLOW_ANONYMOUS=true")
    class WhenAnonymousCallersAreAllowed {

        @Test
        void aCallerFromTheNetworkIsServed() {
            assertThat(listFor("192.0.2.47").status()).isEqualTo(200);
        }
    }

    @Nested
    @TestPropertySource(properties = "ingress.env.API_KEYS=school-key")
    class WhenKeysAreConfigured {

        @Test
        void aCallerOnThisMachineNeedsAKeyToo() {
            get("/api/face/list/all").assertError(401, ErrorCode.UNAUTHORIZED);
            assertThat(listFor("192.0.2.48").message()).isEqualTo("An API key is required");
        }
    }
}

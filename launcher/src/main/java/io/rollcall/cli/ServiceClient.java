package io.rollcall.cli;

import io.rollcall.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * A running service as the CLI's job commands ({@code import}, {@code migrate}) reach it: requests with the API key,
 * JSON answers, and following a job's status URL until the job ends.
 */
final class ServiceClient {
    /** A job's status from which it moves no more. */
    static final Set<String> ENDED = Set.of("completed", "aborted");
    /** How long the status may stay unreadable before the command gives up following (the job itself goes on). */
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(1);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI url;
    private final String apiKey;

    ServiceClient(URI url, String apiKey) {
        this.url = url;
        this.apiKey = apiKey;
    }

    URI url() {
        return url;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(url.resolve(path));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("X-API-Key", apiKey);
        }
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body as JSON; an empty object when it is not JSON. */
    static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (RuntimeException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    /**
     * Polls the job's status every {@code pollMillis} until it has ended, handing every status read to
     * {@code onStatus}.
     *
     * @return the final status; null when it could not be read for a minute (said on {@code err})
     */
    JsonNode follow(String statusUrl, long pollMillis, Consumer<JsonNode> onStatus, String command, PrintWriter err)
            throws InterruptedException {
        long unreachableSince = -1;
        while (true) {
            JsonNode status;
            try {
                HttpResponse<String> r = send(request(statusUrl).GET());
                status = json(r.body());
                if (r.statusCode() != 200) {
                    throw new IOException("HTTP " + r.statusCode() + " " + status.path("message").asString(r.body()));
                }
                unreachableSince = -1;
            } catch (IOException e) {
                if (unreachableSince < 0) {
                    unreachableSince = System.nanoTime();
                    err.println(command + ": cannot read the job's progress (" + e.getMessage() + "); trying again");
                    err.flush();
                } else if (System.nanoTime() - unreachableSince > GIVE_UP_AFTER.toNanos()) {
                    err.println(command + ": gave up reading the job's progress at " + url.resolve(statusUrl)
                            + "; the job itself goes on");
                    err.flush();
                    return null;
                }
                Thread.sleep(pollMillis);
                continue;
            }
            onStatus.accept(status);
            if (ENDED.contains(status.path("status").asString())) {
                return status;
            }
            Thread.sleep(pollMillis);
        }
    }
}

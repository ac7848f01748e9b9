package io.rollcall.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import io.rollcall.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code rollcall models switch|commit|abandon|status|purge}: the model-pack lifecycle of a running service, through
 * its admin API ({@code /api/admin/model}). Each prints the service's answer as JSON on stdout.
 */
final class PackLifecycleCommands {
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int UNREACHABLE = 2;

    private PackLifecycleCommands() {
    }

    /** What every lifecycle command shares: the service, the key, one call and its printing. */
    abstract static class ServiceCall implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--url", description = "service address (default: ${DEFAULT-VALUE})")
        URI url = URI.create("http://localhost:8000");

        @Option(names = "--api-key", description = "an admin key (ADMIN_API_KEYS), when the service has keys")
        String apiKey;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        abstract HttpRequest.Builder request(ServiceClient service);

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ServiceClient service = new ServiceClient(url, apiKey);
            HttpResponse<String> r;
            try {
                r = service.send(request(service));
            } catch (IOException e) {
                err.println("models " + spec.name() + ": cannot reach " + url + ": " + e.getMessage());
                return UNREACHABLE;
            }
            JsonNode body = ServiceClient.json(r.body());
            if (r.statusCode() != 200) {
                err.println("models " + spec.name() + ": " + body.path("error_code").asString("HTTP " + r.statusCode()) + ": "
                        + body.path("message").asString(r.body()));
                return REFUSED;
            }
            out.println(Json.PRETTY.writeValueAsString(body));
            out.flush();
            return after(service, body, out, err);
        }

        /** Anything a command does once its call succeeded. */
        int after(ServiceClient service, JsonNode body, PrintWriter out, PrintWriter err) throws InterruptedException {
            return OK;
        }
    }

    @Command(name = "switch", description = "Load <pack> as the candidate on every worker and embed every sample with it"
            + " (commit with `models commit`, or `models abandon`).")
    static final class Switch extends ServiceCall {
        @Parameters(index = "0", paramLabel = "<pack>")
        String pack;

        @Option(names = "--shadow", description = "also run every recognition on the candidate, after the reply, and compare")
        boolean shadow;

        @Option(names = "--no-wait", description = "return at once instead of showing the embedding job's progress")
        boolean noWait;

        @Override
        HttpRequest.Builder request(ServiceClient service) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("pack", pack);
            if (shadow) {
                body.put("mode", "shadow");
            }
            return service.request("/api/admin/model").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        }

        /** Shows {@code covered/samples} every two seconds until the job has completed or failed. */
        @Override
        int after(ServiceClient service, JsonNode body, PrintWriter out, PrintWriter err) throws InterruptedException {
            if (noWait) {
                return OK;
            }
            ProgressBar bar = new ProgressBar(err, System.console() != null, "samples embedded with " + pack);
            while (true) {
                JsonNode s;
                try {
                    s = ServiceClient.json(service.send(service.request("/api/admin/model").GET()).body());
                } catch (IOException e) {
                    err.println("models switch: cannot read the progress (" + e.getMessage() + "); the job goes on");
                    return UNREACHABLE;
                }
                bar.show(s.path("candidate_covered").asInt(), s.path("samples").asInt(), "");
                String job = s.path("job").asString("");
                if (!job.startsWith("running")) {
                    bar.finish();
                    out.println("job: " + (job.isEmpty() ? "none (no candidate)" : job));
                    return job.startsWith("completed") ? OK : REFUSED;
                }
                Thread.sleep(2_000);
            }
        }
    }

    @Command(name = "commit", description = "Switch every worker to the candidate, once its embedding job has completed.")
    static final class Commit extends ServiceCall {
        @Override
        HttpRequest.Builder request(ServiceClient service) {
            return service.request("/api/admin/model/commit").POST(HttpRequest.BodyPublishers.noBody());
        }
    }

    @Command(name = "abandon", description = "Drop the candidate on every worker and delete the descriptors it wrote.")
    static final class Abandon extends ServiceCall {
        @Override
        HttpRequest.Builder request(ServiceClient service) {
            return service.request("/api/admin/model/candidate").DELETE();
        }
    }

    @Command(name = "status", description = "The active pack, the candidate, the job's progress and each worker's packs.")
    static final class Status extends ServiceCall {
        @Override
        HttpRequest.Builder request(ServiceClient service) {
            return service.request("/api/admin/model").GET();
        }
    }

    @Command(name = "comparison", description = "The shadow candidate against the active pack: agreements, disagreements"
            + " (with request ids), median times and score distributions.")
    static final class Comparison extends ServiceCall {
        @Override
        HttpRequest.Builder request(ServiceClient service) {
            return service.request("/api/admin/model/comparison").GET();
        }
    }

    @Command(name = "purge", description = "Delete the descriptors kept of <pack>, a former pack (switching back to it then"
            + " embeds every sample again).")
    static final class Purge extends ServiceCall {
        @Parameters(index = "0", paramLabel = "<pack>")
        String pack;

        @Override
        HttpRequest.Builder request(ServiceClient service) {
            return service.request("/api/admin/model/packs/" + pack).DELETE();
        }
    }
}

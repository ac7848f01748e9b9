package io.rollcall.bench;

import io.rollcall.bench.EngineBenchmark.Percentiles;
import io.rollcall.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Drives a running Rollcall over HTTP, as the Node.js server would: enrolls a gallery, then several clients send
 * recognize requests at once. Only loopback or an address the operator names is ever targeted.
 */
public final class HttpLoad {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String apiKey;

    public HttpLoad(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /**
     * @param workerMillis the worker's own time ({@code X-Rollcall-Worker-Ms}), NaN when the reply has none
     */
    public record Reply(int status, JsonNode body, double millis, String worker, double workerMillis) {
        /** What HTTP, JSON, base64 and Kafka added to the worker's own time; NaN without the worker's time. */
        public double transportMillis() {
            return millis - workerMillis;
        }
    }

    /**
     * One or more timed runs of concurrent clients.
     *
     * @param latencies each answered request's HTTP time, ms
     * @param transports HTTP time less the worker's own, per request: the cost of getting there and back
     * @param seconds the runs' wall time, summed
     */
    public record LoadResult(int clients, int requests, int errors, Map<String, Integer> errorCodes,
                             List<Double> latencies, List<Double> transports, double seconds) {
        public Percentiles latency() {
            return Percentiles.of(latencies);
        }

        public Percentiles transport() {
            return transports.isEmpty() ? new Percentiles(Double.NaN, Double.NaN, Double.NaN) : Percentiles.of(transports);
        }

        public double requestsPerSecond() {
            return requests / seconds;
        }

        /** Runs taken at different times as one: requests and seconds summed, samples pooled. */
        public static LoadResult combine(List<LoadResult> runs) {
            List<Double> latencies = new ArrayList<>();
            List<Double> transports = new ArrayList<>();
            Map<String, Integer> codes = new LinkedHashMap<>();
            int requests = 0;
            int errors = 0;
            double seconds = 0;
            for (LoadResult r : runs) {
                latencies.addAll(r.latencies());
                transports.addAll(r.transports());
                r.errorCodes().forEach((code, n) -> codes.merge(code, n, Integer::sum));
                requests += r.requests();
                errors += r.errors();
                seconds += r.seconds();
            }
            return new LoadResult(runs.getFirst().clients(), requests, errors, Map.copyOf(codes), List.copyOf(latencies),
                    List.copyOf(transports), seconds);
        }
    }

    public Reply post(String path, Map<String, Object> body) throws IOException, InterruptedException {
        return post(path, Json.MAPPER.writeValueAsBytes(body));
    }

    /** A body already encoded as JSON: the load clients encode each photo once, not once per request. */
    public Reply post(String path, byte[] json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        return send(request);
    }

    /** Any method with a JSON body (the API's DELETE takes one). */
    public Reply send(String method, String path, Map<String, Object> body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))));
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET());
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("X-API-Key", apiKey);
        }
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - start) / 1e6;
        return new Reply(response.statusCode(), Json.MAPPER.readTree(response.body()), ms,
                response.headers().firstValue("X-Rollcall-Worker").orElse(null),
                response.headers().firstValue("X-Rollcall-Worker-Ms").map(Double::parseDouble).orElse(Double.NaN));
    }

    public static Map<String, Object> enrollBody(String type, String code, String name, byte[] image) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("person_type", type);
        body.put("person_code", code);
        body.put("person_name", name);
        body.put("image_base64", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(image));
        body.put("original_name", code + ".jpg");
        // The load gallery re-uses the few dev identities under many codes on purpose.
        body.put("allow_duplicate", true);
        return body;
    }

    /**
     * A connection of its own for a load client: one kept-alive socket, requests sent and answers read on the
     * caller's thread ({@link KeepAliveHttp}).
     */
    public KeepAliveHttp keepAlive() {
        return new KeepAliveHttp(base, apiKey);
    }

    /** {@link #recognizeBody} encoded once, for a photo sent many times. */
    public static byte[] recognizeJson(byte[] image) {
        return Json.MAPPER.writeValueAsBytes(recognizeBody(image));
    }

    public static Map<String, Object> recognizeBody(byte[] image) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("image_base64", Base64.getEncoder().encodeToString(image));
        body.put("source_image_name", "load-test.jpg");
        return body;
    }

    /**
     * {@code clients} threads each send {@code perClient} recognize requests, cycling through the probes. Each
     * probe's JSON body is built once beforehand: the clients share the service's two cores, and re-encoding the
     * same photo as base64 and JSON for every request would be charged to the service's throughput.
     */
    public LoadResult recognize(List<byte[]> probes, int clients, int perClient) throws Exception {
        List<byte[]> bodies = new ArrayList<>(probes.size());
        for (byte[] probe : probes) {
            bodies.add(recognizeJson(probe));
        }
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Double> transport = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> codes = Collections.synchronizedMap(new LinkedHashMap<>());
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    KeepAliveHttp connection = keepAlive();
                    for (int i = 0; i < perClient; i++) {
                        byte[] body = bodies.get((client * perClient + i) % bodies.size());
                        try {
                            Reply r = connection.post("/api/face/recognize", body);
                            latencies.add(r.millis());
                            if (!Double.isNaN(r.workerMillis())) {
                                transport.add(r.transportMillis());
                            }
                            if (r.status() != 200 || !r.body().path("success").asBoolean()) {
                                errors.incrementAndGet();
                                codes.merge(r.body().path("error_code").asText("HTTP_" + r.status()), 1, Integer::sum);
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            codes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                            connection.close();
                        }
                    }
                    connection.close();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new LoadResult(clients, latencies.size(), errors.get(), Map.copyOf(codes), List.copyOf(latencies),
                    List.copyOf(transport), seconds);
        } finally {
            pool.shutdownNow();
        }
    }
}

package io.rollcall.cli;

import io.rollcall.ingress.bulk.ImportCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * Imports a CSV of photos into a running service: posts it to {@code POST /api/face/bulk-import}, then follows the
 * job, printing {@code done/total (n failed)} whenever it moves, until it is completed or aborted. With
 * {@code --dir}, builds the CSV from photo folders first ({@link PhotoFolders} describes the layout).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Bulk-enroll photos listed in a CSV (person_type,person_code,person_name,image_path; image_path "
                + "relative to the workers' BULK_IMPORT_DIR), or found in photo folders with --dir, and follow the job.",
                "Exit code: 0 completed (failed rows are listed), 1 aborted, 2 refused or not reachable."})
final class ImportCommand implements Callable<Integer> {
    static final int COMPLETED = 0;
    static final int ABORTED = 1;
    static final int REFUSED = 2;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Source source;

    static final class Source {
        @Parameters(paramLabel = "<csv-file>", description = "the CSV to import")
        Path csv;

        @Option(names = "--dir", paramLabel = "<folder>", description = "build the CSV from <folder>/<student|teacher>/"
                + "<person_code>_<Name>/*.jpg (the folder must lie inside the import folder)")
        Path dir;
    }

    @Option(names = "--url", description = "service address (default: ${DEFAULT-VALUE})")
    private URI url = URI.create("http://localhost:8000");

    @Option(names = "--api-key", description = "API key, when the service requires one: submitting an import needs an admin key (ADMIN_API_KEYS)")
    private String apiKey;

    @Option(names = "--allow-duplicate", description = "enroll faces that already match a different person")
    private boolean allowDuplicate;

    @Option(names = "--import-dir", paramLabel = "<folder>", description = "where the workers' BULK_IMPORT_DIR is on "
            + "this machine, for --dir (default: BULK_IMPORT_DIR, else ${DATA_DIR:-./data}/import)")
    private Path importDir;

    @Option(names = "--print-csv", description = "with --dir: print the CSV instead of importing it")
    private boolean printCsv;

    @Option(names = "--poll", paramLabel = "<ms>", description = "how often to ask for progress (default: ${DEFAULT-VALUE} ms)")
    private long pollMillis = 2000; // 30 requests a minute, well inside the default RATE_LIMIT_PER_MINUTE

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] csv;
        String sourceName;
        if (source.dir != null) {
            Path folder = importDir != null ? importDir : EngineBootstrap.config().bulkImportDir();
            PhotoFolders.Scan scan = PhotoFolders.scan(source.dir, folder);
            if (!scan.problems().isEmpty()) {
                scan.problems().forEach(p -> err.println("import: " + p));
                err.println("import: nothing imported; fix the folders above and run again");
                return REFUSED;
            }
            StringBuilder text = new StringBuilder();
            ImportCsv.write(scan.rows(), text);
            if (printCsv) {
                out.print(text);
                out.flush();
                return COMPLETED;
            }
            csv = text.toString().getBytes(StandardCharsets.UTF_8);
            sourceName = source.dir.toAbsolutePath().normalize().getFileName() + "/";
        } else {
            if (printCsv) {
                err.println("import: --print-csv goes with --dir");
                return REFUSED;
            }
            try {
                // Sent as it is: the service checks the encoding and every row, and says what is wrong.
                csv = Files.readAllBytes(source.csv);
            } catch (IOException e) {
                err.println("import: cannot read " + source.csv + ": " + e.getMessage());
                return REFUSED;
            }
            sourceName = source.csv.getFileName().toString();
        }

        ServiceClient service = new ServiceClient(url, apiKey);
        HttpResponse<String> submitted;
        try {
            submitted = service.send(service.request("/api/face/bulk-import?source_name="
                            + URLEncoder.encode(sourceName, StandardCharsets.UTF_8) + "&allow_duplicate=" + allowDuplicate)
                    .header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(csv)));
        } catch (IOException e) {
            err.println("import: cannot reach " + url + ": " + e.getMessage());
            return REFUSED;
        }
        JsonNode accepted = ServiceClient.json(submitted.body());
        if (submitted.statusCode() != 202) {
            err.println("import: refused (HTTP " + submitted.statusCode() + " " + accepted.path("error_code").asString("")
                    + "): " + accepted.path("message").asString(submitted.body()));
            for (JsonNode e : accepted.path("details").path("errors")) {
                err.println("  line " + e.path("line").asInt() + ", " + e.path("field").asString() + ": " + e.path("message").asString());
            }
            return REFUSED;
        }
        String jobId = accepted.path("job_id").asString();
        out.println("Queued job " + jobId + ": " + accepted.path("total").asInt() + " photos from " + sourceName);
        out.flush();
        return follow(service, accepted.path("status_url").asString(), out, err);
    }

    /** Follows the job until it ends, printing its progress whenever it changes. */
    private int follow(ServiceClient service, String statusUrl, PrintWriter out, PrintWriter err) throws InterruptedException {
        String[] last = {""};
        JsonNode status = service.follow(statusUrl, pollMillis, s -> {
            String line = String.format(Locale.ROOT, "%d/%d (%d failed)%s", s.path("done").asInt(), s.path("total").asInt(),
                    s.path("failed").asInt(), s.path("status").asString().equals("queued") ? " queued" : "");
            if (!line.equals(last[0])) {
                out.println(line);
                out.flush();
                last[0] = line;
            }
        }, "import", err);
        if (status == null) {
            return REFUSED;
        }
        for (JsonNode f : status.path("failures")) {
            out.println(failure(f));
        }
        if (status.path("failures_truncated").asBoolean()) {
            out.println("  (more failed rows than listed)");
        }
        if (status.path("status").asString().equals("aborted")) {
            out.println("Aborted: " + failure(status.path("last_error")).strip());
            out.flush();
            return ABORTED;
        }
        out.println("Completed: " + status.path("successful").asInt() + " enrolled, " + status.path("failed").asInt() + " failed");
        out.flush();
        return COMPLETED;
    }

    private static String failure(JsonNode f) {
        String where = f.path("line").isNumber() ? "line " + f.path("line").asInt() + " (" + f.path("person_code").asString() + ")" : "job";
        return "  " + where + ": " + f.path("error_code").asString() + " " + f.path("message").asString();
    }
}

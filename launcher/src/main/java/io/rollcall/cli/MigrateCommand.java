package io.rollcall.cli;

import io.rollcall.engine.image.ImageDecoder;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.PackCatalog;
import io.rollcall.enroll.FaceEnrollment;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GallerySync;
import io.rollcall.gallery.LocalGalleryFeed;
import io.rollcall.inference.EngineHolder;
import io.rollcall.gallery.GalleryReconciler;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.storage.PackSettings;
import io.rollcall.inference.PackRuntime;
import io.rollcall.inference.ActivePack;
import io.rollcall.inference.Photos;
import io.rollcall.ingress.migration.MissingPeopleCsv;
import io.rollcall.json.Json;
import io.rollcall.migrate.Migration;
import io.rollcall.migrate.MigrationOptions;
import io.rollcall.migrate.MigrationProgress;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.storage.Database;
import io.rollcall.storage.DatabaseAccess;
import io.rollcall.storage.DatabaseVendor;
import io.rollcall.storage.FaceRepository;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.MigrationRepository;
import io.rollcall.storage.PersonRepository;
import io.rollcall.worker.WorkerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./rollcall migrate}: enrolls the people the old system knows with the configured pack, or rolls a run back.
 *
 * <p>By default through the running service ({@code POST /api/admin/migration}, then its status until the report):
 * the embedded database is locked by a running {@code ./rollcall}, and a worker's gallery changes reach every worker.
 * With {@code --local} the same use case ({@link Migration}) runs in this process against {@code DATABASE_URL} (a
 * school's MySQL or SQL Server), without a broker: running workers see the new rows through their periodic
 * reconciliation with the database ({@code GALLERY_RECONCILE_SECONDS}) or at their next start.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Enroll, with the configured pack, everyone the old system knows who has no sample of it yet: its"
                + " FaceData rows' photos (oldest first), then the Student/Teacher portrait. Old rows are never changed.",
                "Through the running service (--url) by default; --local runs in this process against DATABASE_URL.",
                "Exit code: 0 completed, 1 aborted or failed, 2 refused (bad options) or service not reachable."})
final class MigrateCommand implements Callable<Integer> {
    static final int COMPLETED = 0;
    static final int ABORTED = 1;
    static final int REFUSED = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "run every rule on every photo and report, writing nothing")
    private boolean dryRun;

    @Option(names = "--report", paramLabel = "<file.json>", description = "write the report as JSON")
    private Path report;

    @Option(names = "--missing", paramLabel = "<file.csv>",
            description = "write the people left without a usable photo (person_type,person_code,person_name,reason)")
    private Path missing;

    @Option(names = "--person-type", defaultValue = "all", paramLabel = "student|teacher|all",
            description = "who moves now (default: ${DEFAULT-VALUE})")
    private PersonScope scope;

    @Option(names = "--campus", paramLabel = "C", description = "only people whose Student.Campus / Teacher.Campus is C")
    private String campus;

    @Option(names = "--form", paramLabel = "F", description = "only students whose Student.Form is F")
    private String form;

    @Option(names = "--codes", paramLabel = "<file>",
            description = "only the person codes in this file (one a line, or comma-separated; '#' starts a comment)")
    private Path codesFile;

    @Option(names = "--limit", paramLabel = "N", description = "at most N people in this run")
    private Integer limit;

    @Option(names = "--rollback", paramLabel = "<batch_id>",
            description = "delete exactly the rows the run with this batch id created, and nothing else")
    private String rollback;

    @Option(names = "--local", description = "run in this process against DATABASE_URL instead of through the service")
    private boolean local;

    @Option(names = "--url", description = "service address (default: ${DEFAULT-VALUE})")
    private URI url = URI.create("http://localhost:8000");

    @Option(names = "--api-key", description = "API key, when the service requires one (API_KEYS)")
    private String apiKey;

    @Option(names = "--poll", paramLabel = "<ms>", description = "how often to ask for progress (default: ${DEFAULT-VALUE} ms)")
    private long pollMillis = 2000; // 30 requests a minute, well inside the default RATE_LIMIT_PER_MINUTE

    /** Where {@code --local} takes its configuration: this process's environment, or a test's. */
    private final Map<String, String> environment;

    MigrateCommand() {
        this(System.getenv());
    }

    MigrateCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    /** How a run ended: the exit code and, when it got that far, the report. */
    private record Outcome(int exit, JsonNode report) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rollback != null && (dryRun || campus != null || form != null || codesFile != null || limit != null
                || scope != PersonScope.all)) {
            err.println("migrate: --rollback takes no selection options: it deletes exactly what its batch created");
            return REFUSED;
        }
        List<String> codes;
        try {
            codes = codesFile == null ? List.of() : readCodes(codesFile);
        } catch (IOException e) {
            err.println("migrate: cannot read " + codesFile + ": " + e.getMessage());
            return REFUSED;
        }
        ProgressBar bar = new ProgressBar(out, System.console() != null, "people");
        Outcome outcome = local ? runHere(codes, bar, out, err) : runOnService(codes, bar, out, err);
        bar.finish();
        if (outcome.report() != null) {
            MigrationSummary.print(outcome.report(), out);
            if (!writeFiles(outcome.report(), out, err)) {
                return ABORTED;
            }
        }
        return outcome.exit();
    }

    // --- through the running service -----------------------------------------------------------------------------

    private Outcome runOnService(List<String> codes, ProgressBar bar, PrintWriter out, PrintWriter err) throws InterruptedException {
        ServiceClient service = new ServiceClient(url, apiKey);
        HttpRequest.Builder request;
        if (rollback != null) {
            request = service.request("/api/admin/migration/" + URLEncoder.encode(rollback, StandardCharsets.UTF_8) + "/rollback")
                    .POST(HttpRequest.BodyPublishers.noBody());
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("person_type", scope == PersonScope.all ? null : scope.name());
            body.put("campus", campus);
            body.put("form", form);
            body.put("codes", codes);
            body.put("limit", limit);
            body.put("dry_run", dryRun);
            request = service.request("/api/admin/migration").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        }
        HttpResponse<String> submitted;
        try {
            submitted = service.send(request);
        } catch (IOException e) {
            err.println("migrate: cannot reach " + url + ": " + e.getMessage()
                    + " (is the service running? --local migrates against DATABASE_URL without it)");
            return new Outcome(REFUSED, null);
        }
        JsonNode accepted = ServiceClient.json(submitted.body());
        if (submitted.statusCode() != 202) {
            err.println("migrate: refused (HTTP " + submitted.statusCode() + " " + accepted.path("error_code").asString("")
                    + "): " + accepted.path("message").asString(submitted.body()));
            return new Outcome(REFUSED, null);
        }
        out.println((rollback != null ? "Queued rollback of migration batch " : dryRun ? "Queued dry run " : "Queued migration batch ")
                + accepted.path("batch_id").asString() + " (job " + accepted.path("job_id").asString() + ")");
        out.flush();
        JsonNode status = service.follow(accepted.path("status_url").asString(), pollMillis, s -> bar.show(
                s.path("done").asInt(), s.path("total").asInt(), note(s.path("status").asString(), s.path("failed").asInt())),
                "migrate", err);
        if (status == null) {
            return new Outcome(REFUSED, null);
        }
        if (status.path("status").asString().equals("aborted")) {
            bar.finish();
            JsonNode why = status.path("last_error");
            err.println("migrate: aborted: " + why.path("error_code").asString() + " " + why.path("message").asString()
                    + (rollback == null ? " (what was done stays done; run it again to resume)" : ""));
            return new Outcome(ABORTED, null);
        }
        return new Outcome(COMPLETED, status.path("report").isObject() ? status.path("report") : null);
    }

    private String note(String status, int withoutUsablePhoto) {
        if (status.equals("queued")) {
            return "queued";
        }
        return rollback != null || withoutUsablePhoto == 0 ? "" : withoutUsablePhoto + " without a usable photo";
    }

    // --- in this process -----------------------------------------------------------------------------------------

    private Outcome runHere(List<String> codes, ProgressBar bar, PrintWriter out, PrintWriter err) {
        WorkerConfig config = EngineBootstrap.config(environment);
        try {
            MigrationOptions options = rollback != null ? null
                    : new MigrationOptions(scope.only(), campus, form, new LinkedHashSet<>(codes), limit, dryRun);
            try (Database database = Database.open(config.store())) {
                DatabaseAccess db = database.access();
                // The pack the workers serve with: the committed one, else INSIGHTFACE_MODEL.
                String packName = new PackSettings(db).state().active().orElse(config.models().packName());
                ModelPack pack = PackCatalog.load(config.models().modelsDir()).require(packName);
                ModelSettings models = new ModelSettings(config.models().modelsDir(), packName, config.models().autoDownload());
                try (EngineHolder engines = new EngineHolder(models, config.engine(), Duration.ofSeconds(30), Clock.systemUTC());
                     GallerySync sync = new GallerySync(new Gallery(pack.name(), pack.embeddingDim()),
                             new GalleryRepository(db), new LocalGalleryFeed())) {
                    return runHere(options, config, db, new PackRuntime(pack, engines, sync,
                            new GalleryReconciler(sync, Duration.ZERO, Clock.systemUTC())), bar, out, err);
                }
            }
        } catch (RollcallException e) {
            return failedHere(e, bar, config, err);
        }
    }

    private Outcome runHere(MigrationOptions options, WorkerConfig config, DatabaseAccess db, PackRuntime runtime, ProgressBar bar,
                            PrintWriter out, PrintWriter err) {
        try {
            ActivePack active = new ActivePack(runtime);
            Function<ModelPack, OpenSetDecision> decision = pack -> config.recognition(pack).decision();
            FaceEnrollment enrollment = new FaceEnrollment(config::enrollment, decision, active,
                    new Photos(new ImageDecoder(config.images())), db, new FaceRepository(db), new PersonRepository(db));
            Migration migration = new Migration(enrollment, new MigrationRepository(db), active, new GalleryRepository(db),
                    decision, config.strangerRate());
            Consumer<MigrationProgress> progress = p -> bar.show(p.done(), p.total(),
                    rollback != null || p.withoutUsablePhoto() == 0 ? "" : p.withoutUsablePhoto() + " without a usable photo");
            Object result;
            if (rollback != null) {
                result = migration.rollback(rollback, progress, "cli");
            } else {
                String batchId = UUID.randomUUID().toString();
                out.println((dryRun ? "Dry run " : "Migration batch ") + batchId + " against " + config.store().redactedUrl());
                out.flush();
                result = migration.run(batchId, options, progress, () -> false).orElseThrow();
            }
            bar.finish();
            if (!dryRun) {
                out.println("Running workers see the change within GALLERY_RECONCILE_SECONDS (their reconciliation"
                        + " with the database), or at their next start.");
            }
            return new Outcome(COMPLETED, Json.MAPPER.valueToTree(result));
        } catch (RollcallException e) {
            return failedHere(e, bar, config, err);
        }
    }

    private Outcome failedHere(RollcallException e, ProgressBar bar, WorkerConfig config, PrintWriter err) {
        bar.finish();
        err.println("migrate: " + e.code() + ": " + e.getMessage() + hint(e, config));
        return new Outcome(e.code() == ErrorCode.VALIDATION_ERROR ? REFUSED : ABORTED, null);
    }

    private String hint(RollcallException e, WorkerConfig config) {
        if (e.code() == ErrorCode.DATABASE_ERROR && config.store().vendor() == DatabaseVendor.H2) {
            return " (a running ./rollcall keeps an H2 file locked unless its URL has AUTO_SERVER=TRUE, as the default has:"
                    + " migrate through it, without --local)";
        }
        if (e.code() == ErrorCode.NOT_FOUND || rollback != null) {
            return "";
        }
        return " (what was done stays done; run it again to resume)";
    }

    // --- files ---------------------------------------------------------------------------------------------------

    private boolean writeFiles(JsonNode result, PrintWriter out, PrintWriter err) {
        try {
            if (report != null) {
                Files.writeString(report, Json.PRETTY.writeValueAsString(result) + System.lineSeparator());
                out.println("Report written to " + report);
            }
            if (missing != null) {
                if (!result.has("missing")) {
                    out.println("No list of missing people: a rollback has none");
                } else {
                    try (Writer w = Files.newBufferedWriter(missing, StandardCharsets.UTF_8)) {
                        MissingPeopleCsv.write(result, w);
                    }
                    out.println(result.path("missing").size() + " people without a usable photo written to " + missing);
                }
            }
            out.flush();
            return true;
        } catch (IOException e) {
            err.println("migrate: cannot write " + e.getMessage());
            return false;
        }
    }

    /** Codes one a line or comma-separated, blank lines and {@code #} comments skipped, each once, in file order. */
    static List<String> readCodes(Path file) throws IOException {
        LinkedHashSet<String> codes = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            for (String code : content.split(",")) {
                if (!code.isBlank()) {
                    codes.add(code.replace("\uFEFF", "").strip()); // a byte-order mark, as Excel writes one
                }
            }
        }
        return new ArrayList<>(codes);
    }
}

package io.rollcall.ingress.model;

import io.rollcall.ingress.gateway.FaceGateway;
import io.rollcall.ingress.gateway.WorkerRoster;
import io.rollcall.ingress.http.Fields;
import io.rollcall.ingress.http.IngressSettings;
import io.rollcall.ingress.http.RequestIds;
import io.rollcall.ingress.http.SchoolTime;
import io.rollcall.schemas.ModelAction;
import io.rollcall.schemas.ModelCommand;
import io.rollcall.schemas.ModelResult;
import io.rollcall.schemas.ShadowComparison;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The model-pack lifecycle: {@code POST /api/admin/model} loads a candidate pack on every worker and embeds every
 * sample with it; {@code POST .../commit} switches every worker to it; {@code DELETE .../candidate} abandons it;
 * {@code DELETE .../packs/{pack}} purges a former pack's kept descriptors; {@code GET} shows where it stands,
 * with each worker's own state from its heartbeat. Admin calls (under {@code /api/admin/}).
 */
@RestController
public final class ModelController {
    static final String PATH = "/api/admin/model";
    /** Pack names as manifests may have them ({@code RollcallSettings.Val}, {@code ModelPack VARCHAR(64)}). */
    private static final Pattern PACK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final FaceGateway gateway;
    private final WorkerRoster roster;
    private final SchoolTime time;

    public ModelController(FaceGateway gateway, WorkerRoster roster, IngressSettings settings) {
        this.gateway = gateway;
        this.roster = roster;
        this.time = settings.schoolTime();
    }

    /** {@code {"pack": "<name>", "mode": "shadow"}}; {@code mode} is optional. */
    public record SwitchBody(String pack, String mode) {
    }

    /**
     * Where the lifecycle stands.
     *
     * @param samples          Rollcall samples stored
     * @param candidateCovered of those, samples the candidate has a descriptor of
     * @param job              the candidate's embedding job: {@code running on <worker>}, {@code completed…}, {@code failed: …}
     */
    public record ModelStatus(boolean success, String message, String activePack, String candidatePack, String mode,
                              long samples, long candidateCovered, String job, Integer purgedMoved, Integer purgedDeleted,
                              List<WorkerModel> workers) {
    }

    /** One worker's packs, from its latest heartbeat. */
    public record WorkerModel(String workerId, String lastSeen, String activePack, boolean modelLoaded, String candidatePack,
                              String candidateState) {
    }

    @GetMapping(PATH)
    public ModelStatus status(HttpServletRequest http) {
        return call(http, ModelCommand.newBuilder().setAction(ModelAction.STATUS).build());
    }

    @PostMapping(PATH)
    public ModelStatus switchPack(@RequestBody(required = false) SwitchBody body, HttpServletRequest http) {
        if (body == null) {
            throw Fields.invalid("pack", "pack is required");
        }
        String pack = pack(body.pack());
        boolean shadow;
        if (body.mode() == null || body.mode().equals("candidate")) {
            shadow = false;
        } else if (body.mode().equals("shadow")) {
            shadow = true;
        } else {
            throw Fields.invalid("mode", "mode must be shadow or candidate (or absent)");
        }
        return call(http, ModelCommand.newBuilder().setAction(ModelAction.SWITCH).setPack(pack).setShadow(shadow).build());
    }

    /**
     * The shadow candidate against the active pack.
     *
     * @param scores matches per similarity band ({@code "0.3-0.4"}: at least 0.3, below 0.4), and {@code "none"}: no match
     */
    public record Comparison(boolean success, String activePack, String candidatePack, long recognitions, long agreements,
                             long disagreements, List<String> disagreementRequestIds, Double activeP50Ms, Double candidateP50Ms,
                             Map<String, Map<String, Long>> scores) {
    }

    @GetMapping(PATH + "/comparison")
    public Comparison comparison(HttpServletRequest http) {
        ModelResult r = result(http, ModelCommand.newBuilder().setAction(ModelAction.COMPARISON).build());
        ShadowComparison c = r.getComparison();
        return new Comparison(true, r.getActivePack(), r.getCandidatePack(), c.getRecognitions(), c.getAgreements(),
                c.getDisagreements(), c.getDisagreementRequestIds(), c.getActiveP50Ms(), c.getCandidateP50Ms(),
                Map.of("active", bands(c.getActiveScores(), c.getActiveUnmatched()),
                        "candidate", bands(c.getCandidateScores(), c.getCandidateUnmatched())));
    }

    /** Tenths as labelled bands, in order, then the recognitions without a match. */
    private static Map<String, Long> bands(List<Long> tenths, long unmatched) {
        Map<String, Long> bands = new LinkedHashMap<>();
        for (int i = 0; i < tenths.size(); i++) {
            bands.put(String.format(Locale.ROOT, "%.1f-%.1f", i / 10.0, (i + 1) / 10.0), tenths.get(i));
        }
        bands.put("none", unmatched);
        return bands;
    }

    @PostMapping(PATH + "/commit")
    public ModelStatus commit(HttpServletRequest http) {
        return call(http, ModelCommand.newBuilder().setAction(ModelAction.COMMIT).build());
    }

    @DeleteMapping(PATH + "/candidate")
    public ModelStatus abandon(HttpServletRequest http) {
        return call(http, ModelCommand.newBuilder().setAction(ModelAction.ABANDON).build());
    }

    @DeleteMapping(PATH + "/packs/{pack}")
    public ModelStatus purge(@PathVariable("pack") String pack, HttpServletRequest http) {
        return call(http, ModelCommand.newBuilder().setAction(ModelAction.PURGE).setPack(pack(pack)).build());
    }

    private static String pack(String pack) {
        if (pack == null || pack.isBlank()) {
            throw Fields.invalid("pack", "pack is required");
        }
        if (!PACK.matcher(pack).matches()) {
            throw Fields.invalid("pack", "pack must be a pack name: letters, digits, '.', '_' or '-', at most 64 characters");
        }
        return pack;
    }

    private ModelResult result(HttpServletRequest http, ModelCommand command) {
        return (ModelResult) gateway.call(RequestIds.of(http), http.getRemoteAddr(), command).getResult();
    }

    private ModelStatus call(HttpServletRequest http, ModelCommand command) {
        ModelResult r = result(http, command);
        List<WorkerModel> workers = roster.current(Instant.now()).stream()
                .map(w -> new WorkerModel(w.workerId(), time.toSecond(w.lastSeen()), w.modelPack(), w.modelLoaded(),
                        w.candidatePack(), w.candidateState()))
                .toList();
        boolean purge = command.getAction() == ModelAction.PURGE;
        return new ModelStatus(true, r.getMessage(), r.getActivePack(), r.getCandidatePack(),
                r.getCandidatePack() == null ? null : r.getShadow() ? "shadow" : "candidate", r.getSamples(),
                r.getCandidateCovered(), r.getJob(), purge ? r.getPurgedMoved() : null, purge ? r.getPurgedDeleted() : null, workers);
    }
}

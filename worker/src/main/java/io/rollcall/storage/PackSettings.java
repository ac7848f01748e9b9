package io.rollcall.storage;

import java.util.Optional;

/**
 * The pack lifecycle's state in the database ({@code RollcallSettings}), so that every worker, and a worker that
 * restarts, agrees on it: the active pack (unset until the first switch is committed: then {@code INSIGHTFACE_MODEL}
 * names it), the candidate and the run that embeds it, and the state of that run's embedding job.
 */
public final class PackSettings {
    static final String ACTIVE = "model.active_pack";
    static final String CANDIDATE = "model.candidate_pack";
    static final String RUN = "model.candidate_run";
    static final String SHADOW = "model.candidate_shadow";
    static final String JOB = "model.candidate_job";

    private final DatabaseAccess db;

    public PackSettings(DatabaseAccess db) {
        this.db = db;
    }

    /**
     * The lifecycle's state.
     *
     * @param active    the committed pack; empty before any commit
     * @param candidate the candidate pack; empty when none
     * @param runId     the candidate's run: the descriptors it wrote carry it
     * @param shadow    whether recognitions are compared on the candidate
     * @param job       the embedding job's state: {@code running}, {@code completed} or {@code failed: …}
     */
    public record State(Optional<String> active, Optional<String> candidate, String runId, boolean shadow, String job) {
    }

    public State state() {
        return db.read("read the pack state", () -> new State(value(ACTIVE), value(CANDIDATE), value(RUN).orElse(null),
                value(SHADOW).map(Boolean::parseBoolean).orElse(false), value(JOB).orElse(null)));
    }

    /** Records a new candidate and its run, in one transaction. */
    public void startCandidate(String pack, String runId, boolean shadow) {
        db.write("record a candidate pack", () -> {
            set(CANDIDATE, pack);
            set(RUN, runId);
            set(SHADOW, Boolean.toString(shadow));
            set(JOB, "running");
            return null;
        });
    }

    public void jobState(String state) {
        db.write("record the candidate job's state", () -> {
            set(JOB, state.length() > 255 ? state.substring(0, 255) : state);
            return null;
        });
    }

    /** Makes the candidate the active pack and forgets the candidate, in one transaction. */
    public void commit(String pack) {
        db.write("commit a pack switch", () -> {
            set(ACTIVE, pack);
            clearCandidate();
            return null;
        });
    }

    public void abandon() {
        db.write("abandon a candidate pack", () -> {
            clearCandidate();
            return null;
        });
    }

    private void clearCandidate() {
        for (String name : new String[] {CANDIDATE, RUN, SHADOW, JOB}) {
            db.jdbc().sql("DELETE FROM RollcallSettings WHERE Name = ?").param(name).update();
        }
    }

    private Optional<String> value(String name) {
        return db.jdbc().sql("SELECT Val FROM RollcallSettings WHERE Name = ?").param(name).query(String.class).optional();
    }

    private void set(String name, String value) {
        if (db.jdbc().sql("UPDATE RollcallSettings SET Val = ? WHERE Name = ?").params(value, name).update() == 0) {
            db.jdbc().sql("INSERT INTO RollcallSettings (Name, Val) VALUES (?, ?)").params(name, value).update();
        }
    }
}

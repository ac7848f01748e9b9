package io.rollcall.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A job's progress for a person watching: on a console one line redrawn in place
 * ({@code [#########-----------]  45%  54/120 people}), elsewhere (a log, a pipe) a line each time another tenth of the
 * way is done, so that a long run does not print thousands of lines.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean console;
    private final String unit;
    private String drawn = "";
    private int tenths = -1;

    /** @param unit what is counted, plural ({@code people}) */
    ProgressBar(PrintWriter out, boolean console, String unit) {
        this.out = out;
        this.console = console;
        this.unit = unit;
    }

    /** @param note said after the count, or empty */
    void show(int done, int total, String note) {
        int percent = total == 0 ? 0 : (int) Math.floor(100.0 * done / total);
        int filled = total == 0 ? 0 : WIDTH * done / total;
        String line = String.format(Locale.ROOT, "[%s%s] %3d%%  %d/%d %s%s", "#".repeat(filled), "-".repeat(WIDTH - filled),
                percent, done, total, unit, note.isEmpty() ? "" : ", " + note);
        if (line.equals(drawn)) {
            return;
        }
        if (console) {
            out.print("\r" + line + " ".repeat(Math.max(0, drawn.length() - line.length())));
        } else if (percent / 10 != tenths || done == total) {
            out.println(line);
            tenths = percent / 10;
        } else {
            return;
        }
        drawn = line;
        out.flush();
    }

    /** Ends the redrawn line, so that what follows starts on a line of its own. */
    void finish() {
        if (console && !drawn.isEmpty()) {
            out.println();
            out.flush();
        }
        drawn = "";
    }
}

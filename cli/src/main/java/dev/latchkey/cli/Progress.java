package dev.latchkey.cli;

import java.io.PrintWriter;

/**
 * A one-line counter on standard error, redrawn in place ({@code \r}), only when a person watches: standard error
 * is a terminal ({@link System#console()}) and the output is text. Scripts and pipes get the summary alone.
 */
final class Progress {

    private final PrintWriter err;
    private final boolean shown;
    private final String label;
    private long lastDrawn;

    Progress(PrintWriter err, boolean shown, String label) {
        this.err = err;
        this.shown = shown;
        this.label = label;
    }

    static Progress onTerminal(PrintWriter err, Output output, String label) {
        return new Progress(err, System.console() != null && !output.json(), label);
    }

    void update(int lines) {
        long now = System.nanoTime();
        if (shown && now - lastDrawn > 100_000_000L) {
            lastDrawn = now;
            err.print("\r" + label + " " + lines + " lines");
            err.flush();
        }
    }

    void done() {
        if (shown) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}

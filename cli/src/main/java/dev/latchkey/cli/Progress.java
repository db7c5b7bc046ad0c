package dev.latchkey.cli;

import java.io.PrintWriter;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Progress on standard error, redrawn in place ({@code \r}) at most ten times a second, only when a person watches:
 * standard error is a terminal ({@link System#console()}) and the output is text. Scripts and pipes get the summary
 * alone. With a known total (an import reads a file of known size) it is a bar with a percentage,
 * {@code imported [##########··········] 50% 1200 lines}; without one (an export streams a table of unknown size) a
 * line counter.
 */
final class Progress {

    static final int WIDTH = 20;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean shown;
    private final String label;
    private final OptionalLong total;
    private final LongSupplier done;
    private boolean drawn;
    private long lastDrawn;

    Progress(PrintWriter err, boolean shown, String label, OptionalLong total, LongSupplier done) {
        this.err = err;
        this.shown = shown;
        this.label = label;
        this.total = total;
        this.done = done;
    }

    /** A line counter, shown on a terminal only. */
    static Progress onTerminal(PrintWriter err, Output output, String label) {
        return new Progress(err, System.console() != null && !output.json(), label, OptionalLong.empty(), () -> 0);
    }

    /** A bar of {@code done} out of {@code total} (e.g. bytes read of the file's size), on a terminal only. */
    static Progress barOnTerminal(PrintWriter err, Output output, String label, long total, LongSupplier done) {
        return new Progress(err, System.console() != null && !output.json(), label, OptionalLong.of(total), done);
    }

    void update(int lines) {
        long now = System.nanoTime();
        if (shown && (!drawn || now - lastDrawn > REDRAW_NANOS)) {
            drawn = true;
            lastDrawn = now;
            err.print("\r" + line(lines));
            err.flush();
        }
    }

    /** The text drawn after {@code lines} lines. */
    String line(int lines) {
        if (total.isEmpty() || total.getAsLong() <= 0) {
            return label + " " + lines + " lines";
        }
        long percent = Math.min(100, done.getAsLong() * 100 / total.getAsLong());
        int filled = (int) (percent * WIDTH / 100);
        return label + " [" + "#".repeat(filled) + "·".repeat(WIDTH - filled) + "] " + percent + "% " + lines
                + " lines";
    }

    void done() {
        if (shown) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}

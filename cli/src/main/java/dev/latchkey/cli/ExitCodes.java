package dev.latchkey.cli;

/** The CLI's exit codes, stable for scripts (README "Administration"). */
final class ExitCodes {

    /** Done. */
    static final int OK = 0;
    /** Refused by a rule, or what was named does not exist. */
    static final int FAILED = 1;
    /** The command line is wrong (picocli's own code). */
    static final int USAGE = 2;
    /** The configuration is wrong, or the table or key vault cannot be reached. */
    static final int UNAVAILABLE = 3;
    /** A conflict: bootstrap on a deployment that has accounts. */
    static final int CONFLICT = 4;
    /** An import ran to the end but skipped lines (each reported with its number). */
    static final int PARTIAL = 5;

    private ExitCodes() {
    }
}

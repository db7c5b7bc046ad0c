package dev.latchkey.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that opens the deployment, does one thing and prints the result. */
abstract class AdminCommand implements Callable<Integer> {

    /** The request id of the CLI's audit events. */
    static final String REQUEST_ID = "admin-cli";

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json (one JSON document, for scripts).")
    Output.Format format;

    private final LatchkeyCli cli;

    AdminCommand(LatchkeyCli cli) {
        this.cli = cli;
    }

    boolean jsonOutput() {
        return format == Output.Format.json;
    }

    @Override
    public final Integer call() {
        try (Deployment deployment = cli.open()) {
            return run(deployment, new Output(format, spec.commandLine().getOut()));
        }
    }

    /** The command's work; returns the exit code. */
    abstract int run(Deployment deployment, Output output);
}

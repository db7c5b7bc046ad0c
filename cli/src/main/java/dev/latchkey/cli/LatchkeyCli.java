package dev.latchkey.cli;

import dev.latchkey.core.config.ConfigException;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.vault.KeyVaultException;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code latchkey}: the operator's command line (issue 18). Every command works on the table and key vault directly,
 * through the one composition root and core's use cases, with the functions' {@code LATCHKEY_*} variables
 * ({@link Deployment}); nothing here is reachable over HTTP.
 */
@Command(name = "latchkey", mixinStandardHelpOptions = true, versionProvider = LatchkeyCli.Version.class,
        description = "Administers a Latchkey deployment: the table and key vault named by the LATCHKEY_* variables "
                + "(AWS with LATCHKEY_KEY_VAULT=kms, else the local data folder LATCHKEY_DATA_DIR).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:refused, or not found", "2:usage error",
            "3:configuration wrong, or table or key vault unreachable",
            "4:conflict (bootstrap on a non-empty deployment)",
            "5:import finished with skipped lines"})
public final class LatchkeyCli implements Runnable {

    private final Map<String, String> environment;

    /** @param environment the {@code LATCHKEY_*} (and AWS) variables */
    LatchkeyCli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Runs a command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine(LatchkeyRuntime.environment()).execute(args));
    }

    /** The whole command tree over an environment (tests pass their own). */
    static CommandLine commandLine(Map<String, String> environment) {
        LatchkeyCli cli = new LatchkeyCli(environment);
        CommandLine line = new CommandLine(cli)
                .addSubcommand(new BootstrapCommand(cli))
                .addSubcommand(new CommandLine(new ApiKeyCommands())
                        .addSubcommand(new ApiKeyCommands.Create(cli))
                        .addSubcommand(new ApiKeyCommands.Revoke(cli)))
                .addSubcommand(new CommandLine(new OrgCommands())
                        .addSubcommand(new OrgCommands.ListOrganizations(cli)))
                .addSubcommand(new CommandLine(new UserCommands())
                        .addSubcommand(new UserCommands.Show(cli))
                        .addSubcommand(new UserCommands.Disable(cli))
                        .addSubcommand(new UserCommands.Enable(cli)))
                .addSubcommand(new CommandLine(new SessionCommands())
                        .addSubcommand(new SessionCommands.Revoke(cli)))
                .addSubcommand(new CommandLine(new KeyCommands())
                        .addSubcommand(new KeyCommands.Rotate(cli)))
                .addSubcommand(new ExportCommand(cli))
                .addSubcommand(new ImportCommand(cli));
        line.setExecutionExceptionHandler(LatchkeyCli::failure);
        return line;
    }

    /** The deployment the environment names; the caller closes it. */
    Deployment open() {
        return Deployment.open(environment);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required (see --help)");
    }

    /**
     * One error line (or, with {@code --output json}, {@code {"error":{"code":…,"message":…}}}) on standard error,
     * and the exit code. Messages of Latchkey's exceptions name no secret; anything else prints its type only.
     */
    private static int failure(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        int code;
        String kind;
        String message;
        if (e instanceof ConfigException || e instanceof StoreUnavailableException
                || e instanceof KeyVaultException) {
            code = ExitCodes.UNAVAILABLE;
            kind = "UNAVAILABLE";
            message = e.getMessage();
        } else if (e instanceof LatchkeyException latchkey) {
            code = latchkey.code() == ErrorCode.CONFLICT ? ExitCodes.CONFLICT
                    : latchkey.code() == ErrorCode.SERVICE_UNAVAILABLE ? ExitCodes.UNAVAILABLE : ExitCodes.FAILED;
            kind = latchkey.code().name();
            message = latchkey.getMessage();
        } else if (e instanceof java.io.UncheckedIOException || e instanceof IllegalStateException) {
            code = ExitCodes.UNAVAILABLE;
            kind = "UNAVAILABLE";
            message = e.getClass().getSimpleName() + ": " + Objects.toString(e.getMessage(), "");
        } else {
            code = ExitCodes.FAILED;
            kind = "INTERNAL_ERROR";
            message = e.getClass().getName();
        }
        PrintWriter err = command.getErr();
        if (command.getCommand() instanceof AdminCommand admin && admin.jsonOutput()) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", kind);
            error.put("message", message);
            err.println(Output.toJson(Map.of("error", error)));
        } else {
            err.println("latchkey: " + message);
        }
        err.flush();
        return code;
    }

    /** {@code --version}: the build's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"latchkey " + LatchkeyRuntime.buildVersion()};
        }
    }
}

package dev.latchkey.cli;

import dev.latchkey.core.account.User;
import dev.latchkey.core.session.SessionEndReason;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latchkey sessions revoke --user …}. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "Ends sessions.")
final class SessionCommands extends CommandGroup {

    /** Ends every session of a user: their refresh tokens stop working and their access tokens fail liveness. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Ends every session of a user (refresh tokens stop at once; access tokens fail the "
                    + "liveness check of every management route).")
    static final class Revoke extends AdminCommand {

        @Option(names = "--user", required = true, paramLabel = "USER", description = "usr_… or an email address.")
        String user;

        Revoke(LatchkeyCli cli) {
            super(cli);
        }

        @Override
        int run(Deployment deployment, Output output) {
            User found = UserCommands.find(deployment.root(), user);
            int ended = deployment.root().endAllSessions().endAll(found.id(), SessionEndReason.OPERATOR_REVOKED, "",
                    REQUEST_ID);
            output.result(Map.of("user_id", found.id(), "sessions_ended", ended),
                    "Ended " + ended + " session(s) of " + found.id() + ".");
            return ExitCodes.OK;
        }
    }
}

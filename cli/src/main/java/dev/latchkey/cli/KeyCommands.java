package dev.latchkey.cli;

import dev.latchkey.core.keys.RotateSigningKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code latchkey keys rotate}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manages the signing-key ring.")
final class KeyCommands extends CommandGroup {

    /** One rotation pass, the schedule's (rotate-keys function, Kubernetes CronJob). */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Runs one signing-key rotation pass (what the hourly schedule runs): creates the next key, "
                    + "activates it, retires and removes old ones when due.")
    static final class Rotate extends AdminCommand {

        Rotate(LatchkeyCli cli) {
            super(cli);
        }

        @Override
        int run(Deployment deployment, Output output) {
            RotateSigningKeys.Report report = deployment.root().rotateSigningKeys().run(REQUEST_ID);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("changed", report.changed());
            json.put("active_kid", report.activeKid());
            json.put("created", report.created());
            json.put("activated", report.activated().orElse(null));
            json.put("retired", report.retired().orElse(null));
            json.put("removed", report.removed());
            output.result(json, (report.changed() ? "Rotated" : "Nothing due") + "; signing key "
                    + report.activeKid() + (report.created().isEmpty() ? "" : "; created " + report.created())
                    + report.activated().map(k -> "; activated " + k).orElse("")
                    + report.retired().map(k -> "; retired " + k).orElse("")
                    + (report.removed().isEmpty() ? "" : "; removed " + report.removed()) + ".");
            return ExitCodes.OK;
        }
    }
}

package dev.latchkey.cli;

import dev.latchkey.core.admin.BootstrapDeployment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latchkey bootstrap}: the first owner and organization ({@link BootstrapDeployment}). */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = "Creates the first owner and organization of an empty deployment (refused when any account "
                + "exists) and prints a one-time token with which the owner sets their own password.")
final class BootstrapCommand extends AdminCommand {

    /** Where the token is redeemed, under the issuer. */
    static final String RESET_PATH = "/v1/auth/password/reset";

    @Option(names = "--email", required = true, description = "The owner's email address (marked verified).")
    String email;

    @Option(names = "--org", required = true, paramLabel = "NAME", description = "The organization's name.")
    String organization;

    @Option(names = "--name", description = "The owner's display name (default: the address's local part).")
    String name;

    BootstrapCommand(LatchkeyCli cli) {
        super(cli);
    }

    @Override
    int run(Deployment deployment, Output output) {
        BootstrapDeployment.Bootstrapped done = deployment.root().bootstrapDeployment()
                .bootstrap(email, organization, Optional.ofNullable(name));
        String issuer = deployment.root().config().issuer().map(Object::toString).orElse("<issuer>");
        String url = issuer.replaceAll("/+$", "") + RESET_PATH;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", done.user().id());
        json.put("organization_id", done.organizationId());
        json.put("reset_token", done.token().value());
        json.put("reset_url", url);
        json.put("expires_at", done.expiresAt().toString());
        output.result(json, "Created owner " + done.user().id() + " and organization " + done.organizationId() + ".\n"
                + "One-time token (shown once; valid until " + done.expiresAt() + ") with which the owner sets a "
                + "password:\n  " + done.token().value() + "\n"
                + "Redeem it:\n"
                + "  curl -X POST " + url + " -H 'content-type: application/json' \\\n"
                + "    -d '{\"token\":\"" + done.token().value() + "\",\"password\":\"<a new password>\"}'");
        return ExitCodes.OK;
    }
}

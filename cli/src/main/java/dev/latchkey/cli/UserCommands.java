package dev.latchkey.cli;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.Membership;
import dev.latchkey.core.account.User;
import dev.latchkey.core.admin.AdminException;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code latchkey user show}. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Shows, disables and enables users.")
final class UserCommands extends CommandGroup {

    /** A user by id ({@code usr_…}) or email address. */
    static User find(CompositionRoot root, String idOrEmail) {
        Optional<User> user = idOrEmail.startsWith("usr_") ? root.users().findById(idOrEmail)
                : root.users().findByEmail(EmailAddress.parse(idOrEmail).canonical());
        return user.orElseThrow(() -> AdminException.notFound("user"));
    }

    /** The password's kind, never the hash. */
    static String passwordKind(User user) {
        String hash = user.passwordHash();
        if (hash.isEmpty()) {
            return "none";
        }
        if (hash.startsWith("$argon2id$")) {
            return "argon2id";
        }
        String kind = hash.startsWith("$2") ? "bcrypt" : hash.startsWith("$scrypt$") ? "scrypt" : "pbkdf2";
        return kind + " (rehashed to argon2id at the next login)";
    }

    /** {@code latchkey user show USER}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows a user (by usr_ id or email): profile, password kind, memberships.")
    static final class Show extends AdminCommand {

        @Parameters(paramLabel = "USER", description = "usr_… or an email address.")
        String user;

        Show(LatchkeyCli cli) {
            super(cli);
        }

        @Override
        int run(Deployment deployment, Output output) {
            CompositionRoot root = deployment.root();
            User found = find(root, user);
            List<Membership> memberships = root.users().memberships(found.id());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", found.id());
            json.put("email", found.email().display());
            json.put("name", found.name());
            json.put("email_verified", found.emailVerified());
            json.put("disabled", found.disabled());
            json.put("password", passwordKind(found));
            json.put("created_at", found.createdAt().toString());
            json.put("personal_organization_id", found.personalOrganizationId());
            json.put("memberships", memberships.stream().map(m -> Map.of("organization_id", m.organizationId(),
                    "name", m.name(), "role", m.role())).toList());
            StringBuilder text = new StringBuilder();
            json.forEach((k, v) -> {
                if (!k.equals("memberships")) {
                    text.append(String.format("%-25s %s%n", k, v));
                }
            });
            text.append("memberships");
            memberships.forEach(m -> text.append(String.format("%n  %-32s %-8s %s", m.organizationId(), m.role(),
                    m.name())));
            output.result(json, text.toString());
            return ExitCodes.OK;
        }
    }

    /** {@code latchkey user disable USER}. */
    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disables a user: no password or passkey login, no password reset, no refresh; every "
                    + "session ends at once. Data, memberships and keys stay.")
    static final class Disable extends AdminCommand {

        @Parameters(paramLabel = "USER", description = "usr_… or an email address.")
        String user;

        Disable(LatchkeyCli cli) {
            super(cli);
        }

        @Override
        int run(Deployment deployment, Output output) {
            User found = find(deployment.root(), user);
            int ended = deployment.root().disableUser().disable(found.id(), REQUEST_ID);
            output.result(Map.of("user_id", found.id(), "disabled", true, "sessions_ended", ended),
                    "Disabled " + found.id() + "; ended " + ended + " session(s).");
            return ExitCodes.OK;
        }
    }

    /** {@code latchkey user enable USER}. */
    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enables a disabled user again.")
    static final class Enable extends AdminCommand {

        @Parameters(paramLabel = "USER", description = "usr_… or an email address.")
        String user;

        Enable(LatchkeyCli cli) {
            super(cli);
        }

        @Override
        int run(Deployment deployment, Output output) {
            User found = find(deployment.root(), user);
            deployment.root().disableUser().enable(found.id(), REQUEST_ID);
            output.result(Map.of("user_id", found.id(), "disabled", false), "Enabled " + found.id() + ".");
            return ExitCodes.OK;
        }
    }
}

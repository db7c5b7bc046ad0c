package dev.latchkey.cli;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.admin.AdminException;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.CreateApiKeyCommand;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code latchkey api-key create|revoke}: an organization's API keys through core's {@code ManageApiKeys}. */
@Command(name = "api-key", mixinStandardHelpOptions = true, description = "Creates and revokes organization API keys.")
final class ApiKeyCommands extends CommandGroup {

    /**
     * The access an operator acts with in an organization: that of its earliest owner (the key's audit event names
     * that owner, with request id {@value AdminCommand#REQUEST_ID}), so an operator grants nothing an owner could
     * not.
     */
    static OrgAccess ownerAccess(CompositionRoot root, String organizationId) {
        root.organizations().find(organizationId).orElseThrow(() -> AdminException.notFound("organization"));
        Member owner = root.organizations().owners(organizationId).stream()
                .min(Comparator.comparing(Member::joinedAt))
                .orElseThrow(() -> AdminException.notFound("owner of the organization"));
        // The operator is at the deployment's own credentials (table and key vault), which outrank any sign-in of
        // the owner: a fresh, multi-factor authentication for step-up (RFC 9470) on sensitive operations.
        Caller.User operator = new Caller.User(owner.userId(), AdminCommand.REQUEST_ID, List.of("mfa"),
                Optional.of(root.clock().instant()));
        return new OrgAccess(organizationId, operator, Role.OWNER.permissions());
    }

    static RequestOrigin origin() {
        return new RequestOrigin(Optional.empty(), AdminCommand.REQUEST_ID);
    }

    /** {@code latchkey api-key create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates an API key and prints its secret once (the seed's create-admin-key).")
    static final class Create extends AdminCommand {

        @Option(names = "--org", required = true, paramLabel = "ORG_ID", description = "The organization (org_…).")
        String organization;

        @Option(names = "--name", required = true, description = "The key's name.")
        String name;

        @Option(names = "--permission", paramLabel = "PERMISSION", split = ",",
                description = "A permission the key holds (repeat or comma-separate), e.g. org:read, api_key:create.")
        List<String> permissions = new ArrayList<>();

        @Option(names = "--description", description = "A description.")
        String description;

        @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "Lifetime in days (default: none).")
        Integer expiresInDays;

        Create(LatchkeyCli cli) {
            super(cli);
        }

        @Override
        int run(Deployment deployment, Output output) {
            CompositionRoot root = deployment.root();
            CreatedApiKey created = root.manageApiKeys().create(ownerAccess(root, organization),
                    new CreateApiKeyCommand(name, permissions, Optional.ofNullable(description),
                            Optional.ofNullable(expiresInDays), Optional.empty()), origin());
            ApiKey key = created.key();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", key.id());
            json.put("organization_id", key.organizationId());
            json.put("name", key.name());
            json.put("permissions", key.permissions());
            json.put("key", created.token().value());
            key.expiresAt().ifPresent(at -> json.put("expires_at", at.toString()));
            output.result(json, "Created API key " + key.id() + " in " + key.organizationId() + " with "
                    + key.permissions() + ". Its secret, shown once:\n  " + created.token().value());
            return ExitCodes.OK;
        }
    }

    /** {@code latchkey api-key revoke}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an API key at once.")
    static final class Revoke extends AdminCommand {

        @Option(names = "--org", required = true, paramLabel = "ORG_ID", description = "The key's organization.")
        String organization;

        @Parameters(paramLabel = "KEY_ID", description = "The key (key_…).")
        String keyId;

        @Option(names = "--reason", description = "Why (kept with the key and in the audit log).")
        String reason;

        Revoke(LatchkeyCli cli) {
            super(cli);
        }

        @Override
        int run(Deployment deployment, Output output) {
            CompositionRoot root = deployment.root();
            ApiKey key = root.manageApiKeys().revoke(ownerAccess(root, organization), keyId,
                    Optional.ofNullable(reason), origin());
            output.result(Map.of("id", key.id(), "revoked", true), "Revoked API key " + key.id() + ".");
            return ExitCodes.OK;
        }
    }
}

package dev.latchkey.core.client;

import java.util.List;

/**
 * {@code POST /v1/orgs/{orgId}/clients}: a name, the resources the client may ask tokens for, and whether to make
 * its first secret now (a client that authenticates with keys only needs none).
 *
 * @param name see {@link ClientCommands#name}
 * @param allowedResources see {@link ClientCommands#allowedResources}
 * @param secret whether to add a first secret
 */
public record CreateClientCommand(String name, List<String> allowedResources, boolean secret) {

    /**
     * Normalizes and validates.
     *
     * @throws ClientException 400
     */
    public CreateClientCommand {
        name = ClientCommands.name(name);
        allowedResources = ClientCommands.allowedResources(allowedResources);
    }
}

package dev.latchkey.core.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code PATCH /v1/orgs/{orgId}/clients/{clientId}}: a new name, new allowed resources (replacing the old list),
 * or both.
 *
 * @param name see {@link ClientCommands#name}
 * @param allowedResources see {@link ClientCommands#allowedResources}
 */
public record UpdateClientCommand(Optional<String> name, Optional<List<String>> allowedResources) {

    /**
     * Normalizes and validates; at least one field.
     *
     * @throws ClientException 400
     */
    public UpdateClientCommand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(allowedResources, "allowedResources");
        if (name.isEmpty() && allowedResources.isEmpty()) {
            throw ClientException.invalid("body", "EMPTY", "Give 'name', 'allowed_resources' or both.");
        }
        name = name.map(ClientCommands::name);
        allowedResources = allowedResources.map(ClientCommands::allowedResources);
    }
}

package dev.latchkey.core.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A machine that calls an organization's resources (OAuth confidential client): a name, the resources it may
 * request tokens for, and its credentials, each with its own id so that a new one can be added before an old one
 * is revoked (zero-downtime rotation).
 *
 * @param clientId {@code cli_…}, also the OAuth {@code client_id}
 * @param organizationId the one organization it belongs to
 * @param name a label for people
 * @param allowedResources the {@code res_…} ids it may request tokens for
 * @param createdAt when
 * @param createdBy the actor id that created it
 * @param secrets its client secrets, revoked ones included
 * @param keys its registered public keys, revoked ones included
 */
public record ServiceClient(String clientId, String organizationId, String name, List<String> allowedResources,
        Instant createdAt, String createdBy, List<ClientSecret> secrets, List<ClientKey> keys) {

    /** Copies the lists. */
    public ServiceClient {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(name, "name");
        allowedResources = List.copyOf(allowedResources);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        secrets = List.copyOf(secrets);
        keys = List.copyOf(keys);
    }
}

package dev.latchkey.core.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param version bumped by every change of the client or its credentials (optimistic concurrency: a change is
 *     written only if the stored version is still the one it read)
 */
public record ServiceClient(String clientId, String organizationId, String name, List<String> allowedResources,
        Instant createdAt, String createdBy, List<ClientSecret> secrets, List<ClientKey> keys, long version) {

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
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
    }

    /** A client at version 0 (as first created). */
    public ServiceClient(String clientId, String organizationId, String name, List<String> allowedResources,
            Instant createdAt, String createdBy, List<ClientSecret> secrets, List<ClientKey> keys) {
        this(clientId, organizationId, name, allowedResources, createdAt, createdBy, secrets, keys, 0);
    }

    /** One secret by id. */
    public Optional<ClientSecret> secret(String secretId) {
        return secrets.stream().filter(s -> s.secretId().equals(secretId)).findFirst();
    }

    /** One key by id. */
    public Optional<ClientKey> key(String keyId) {
        return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
    }

    /** The secrets that authenticate at {@code now}. */
    public List<ClientSecret> usableSecrets(Instant now) {
        return secrets.stream().filter(s -> s.usableAt(now)).toList();
    }

    /** The keys that verify assertions at {@code now}. */
    public List<ClientKey> usableKeys(Instant now) {
        return keys.stream().filter(k -> k.usableAt(now)).toList();
    }

    /** This client with another name and allowed resources, at the next version. */
    public ServiceClient withDetails(String newName, List<String> newAllowedResources) {
        return new ServiceClient(clientId, organizationId, newName, newAllowedResources, createdAt, createdBy,
                secrets, keys, version + 1);
    }

    /** This client with one secret added or replaced (by id), at the next version. */
    public ServiceClient withSecret(ClientSecret secret) {
        List<ClientSecret> changed = new ArrayList<>(secrets);
        changed.removeIf(s -> s.secretId().equals(secret.secretId()));
        changed.add(secret);
        return new ServiceClient(clientId, organizationId, name, allowedResources, createdAt, createdBy, changed,
                keys, version + 1);
    }

    /** This client with one key added or replaced (by id), at the next version. */
    public ServiceClient withKey(ClientKey key) {
        List<ClientKey> changed = new ArrayList<>(keys);
        changed.removeIf(k -> k.keyId().equals(key.keyId()));
        changed.add(key);
        return new ServiceClient(clientId, organizationId, name, allowedResources, createdAt, createdBy, secrets,
                changed, version + 1);
    }
}

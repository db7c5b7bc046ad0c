package dev.latchkey.core.client;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The management use cases of {@code /v1/orgs/{orgId}/clients} (docs/clients.md), each taking an
 * {@link OrgAccess} the {@link dev.latchkey.core.access.Authorizer} granted for the route's permission. A client of
 * another organization answers 404 exactly like one that does not exist (SECURITY.md [8.2.2]).
 *
 * <p>Credentials rotate without downtime: add a new secret or key, move the callers to it, then revoke the old one.
 * A client has at most {@value #MAX_USABLE_SECRETS} usable secrets and {@value #MAX_USABLE_KEYS} usable keys (and
 * keeps at most {@value #MAX_STORED_CREDENTIALS} of each kind, revoked and expired ones included, until the table's
 * TTL removes those). Every change is written with its audit event in one transaction, conditioned on the client's
 * version; a change that raced another one is read again and retried, so parallel additions never exceed a
 * limit.
 */
public final class ManageClients {

    /** Most secrets that authenticate at once. */
    public static final int MAX_USABLE_SECRETS = 5;
    /** Most keys that verify at once. */
    public static final int MAX_USABLE_KEYS = 10;
    /** Most stored secrets, and most stored keys, per client (revoked and expired ones included). */
    public static final int MAX_STORED_CREDENTIALS = 25;
    /** Longest life of a secret given {@code expires_in_days}. */
    public static final int MAX_SECRET_DAYS = 730;

    private static final int ATTEMPTS = 3;

    private final ClientRepository clients;
    private final ClientSecretHasher hasher;
    private final IdGenerator ids;
    private final SecureRandom random;
    private final Clock clock;
    private final ClientAudit audit;

    /**
     * @param clients the store
     * @param hasher hashes new secrets
     * @param ids client, credential and event ids
     * @param random new secrets
     * @param clock times
     */
    public ManageClients(ClientRepository clients, ClientSecretHasher hasher, IdGenerator ids, SecureRandom random,
            Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = new ClientAudit(ids, clock);
    }

    /**
     * Creates a client ({@code client:create}), with a first secret unless the command says otherwise.
     *
     * @return the client and its first secret, shown once
     * @throws ClientException 400 {@code UNKNOWN_RESOURCE} when an allowed resource is not a resource of the
     *     organization
     */
    public CreatedClient create(OrgAccess access, CreateClientCommand command, RequestOrigin origin) {
        Instant now = now();
        String clientId = ids.next(IdPrefix.CLIENT);
        String actor = access.caller().actor().id();
        Optional<CreatedClientSecret> secret = command.secret() ? Optional.of(newSecret(actor, now,
                Optional.empty())) : Optional.empty();
        ServiceClient client = new ServiceClient(clientId, access.organizationId(), command.name(),
                command.allowedResources(), now, actor, secret.map(s -> List.of(s.secret())).orElse(List.of()),
                List.of(), 0);
        clients.create(client, audit.event(ClientAudit.CREATED, access.caller(), client.organizationId(),
                ClientAudit.CLIENT, clientId, now, origin, Map.of(
                        "allowed_resource_count", Integer.toString(client.allowedResources().size()),
                        "auth_method", command.secret() ? "client_secret" : "none")));
        return new CreatedClient(client, secret);
    }

    /** One page of the organization's clients, without credentials ({@code client:read}). */
    public ClientPage list(OrgAccess access, ClientQuery query) {
        return clients.list(access.organizationId(), query);
    }

    /**
     * One client with its credentials ({@code client:read}).
     *
     * @throws ClientException 404 when it does not exist in this organization
     */
    public ServiceClient show(OrgAccess access, String clientId) {
        return find(access, clientId);
    }

    /**
     * Renames a client or replaces its allowed resources ({@code client:create}).
     *
     * @throws ClientException 404; 400 {@code UNKNOWN_RESOURCE}
     */
    public ServiceClient update(OrgAccess access, String clientId, UpdateClientCommand command,
            RequestOrigin origin) {
        return retrying(access, clientId, client -> {
            Instant now = now();
            ServiceClient changed = client.withDetails(command.name().orElse(client.name()),
                    command.allowedResources().orElse(client.allowedResources()));
            List<String> fields = new ArrayList<>();
            command.name().ifPresent(n -> fields.add("name"));
            command.allowedResources().ifPresent(r -> fields.add("allowed_resources"));
            Map<String, String> details = new LinkedHashMap<>();
            details.put("fields", String.join(",", fields));
            details.put("allowed_resource_count", Integer.toString(changed.allowedResources().size()));
            clients.update(changed, audit.event(ClientAudit.UPDATED, access.caller(), client.organizationId(),
                    ClientAudit.CLIENT, clientId, now, origin, details));
            return changed;
        });
    }

    /**
     * Deletes a client for ever ({@code client:delete}): its credentials and the grants to it go with it, so its
     * next token request fails.
     *
     * @throws ClientException 404 when it does not exist in this organization
     */
    public void delete(OrgAccess access, String clientId, RequestOrigin origin) {
        retrying(access, clientId, client -> {
            clients.delete(client, audit.event(ClientAudit.DELETED, access.caller(), client.organizationId(),
                    ClientAudit.CLIENT, clientId, now(), origin, Map.of()));
            return client;
        });
    }

    /**
     * Adds a secret ({@code client:create}), shown once.
     *
     * @param expiresInDays 1–{@value #MAX_SECRET_DAYS}; empty for a secret that works until revoked
     * @throws ClientException 400 for a bad lifetime; 404; 409 {@code TOO_MANY_SECRETS} at the limit
     */
    public CreatedClientSecret addSecret(OrgAccess access, String clientId, Optional<Integer> expiresInDays,
            RequestOrigin origin) {
        if (expiresInDays.isPresent() && (expiresInDays.get() < 1 || expiresInDays.get() > MAX_SECRET_DAYS)) {
            throw ClientException.invalid("expires_in_days", "OUT_OF_RANGE",
                    "Field 'expires_in_days' is 1 to " + MAX_SECRET_DAYS + ".");
        }
        return retrying(access, clientId, client -> {
            Instant now = now();
            if (client.usableSecrets(now).size() >= MAX_USABLE_SECRETS) {
                throw ClientException.conflict("TOO_MANY_SECRETS", "A client has at most " + MAX_USABLE_SECRETS
                        + " usable secrets; revoke one first.");
            }
            if (client.secrets().size() >= MAX_STORED_CREDENTIALS) {
                throw ClientException.conflict("TOO_MANY_SECRETS", "A client keeps at most " + MAX_STORED_CREDENTIALS
                        + " secrets, revoked ones included, until they are removed 30 days after they stopped.");
            }
            CreatedClientSecret secret = newSecret(access.caller().actor().id(), now,
                    expiresInDays.map(days -> now.plus(Duration.ofDays(days))));
            Map<String, String> details = new LinkedHashMap<>();
            details.put("client_id", clientId);
            expiresInDays.ifPresent(days -> details.put("expires_in_days", Integer.toString(days)));
            clients.saveSecret(client.withSecret(secret.secret()), secret.secret().secretId(),
                    audit.event(ClientAudit.SECRET_ADDED, access.caller(), client.organizationId(),
                            ClientAudit.CLIENT_SECRET, secret.secret().secretId(), now, origin, details));
            return secret;
        });
    }

    /**
     * Revokes a secret ({@code client:delete}): it fails at once. Revoking a revoked secret changes nothing.
     *
     * @return the secret as stored now
     * @throws ClientException 404 for another client's or an unknown secret
     */
    public ClientSecret revokeSecret(OrgAccess access, String clientId, String secretId, RequestOrigin origin) {
        return retrying(access, clientId, client -> {
            ClientSecret secret = client.secret(secretId).orElseThrow(ClientException::secretNotFound);
            if (secret.revokedAt().isPresent()) {
                return secret;
            }
            Instant now = now();
            ClientSecret revoked = secret.revoked(now);
            clients.saveSecret(client.withSecret(revoked), secretId, audit.event(ClientAudit.SECRET_REVOKED,
                    access.caller(), client.organizationId(), ClientAudit.CLIENT_SECRET, secretId, now, origin,
                    Map.of("client_id", clientId)));
            return revoked;
        });
    }

    /**
     * Registers a public key ({@code client:create}) from a JWK or a certificate (see {@link ClientPublicKeys}).
     *
     * @throws ClientException 400 for a key that is not accepted; 404; 409 {@code KEY_EXISTS} for a key the client
     *     has (revoked ones included), {@code KID_TAKEN} for a {@code kid} of another usable key,
     *     {@code TOO_MANY_KEYS} at the limit
     */
    public ClientKey addKey(OrgAccess access, String clientId, NewClientKey request, RequestOrigin origin) {
        ClientPublicKey key = ClientKeyRegistration.read(request, now());
        return retrying(access, clientId, client -> {
            Instant now = now();
            ClientKey added = ClientKeyRegistration.admit(client.keys(), key, ids.next(IdPrefix.CLIENT_KEY),
                    access.caller().actor().id(), now);
            clients.saveKey(client.withKey(added), added.keyId(), audit.event(ClientAudit.KEY_ADDED, access.caller(),
                    client.organizationId(), ClientAudit.CLIENT_KEY, added.keyId(), now, origin, Map.of(
                            "client_id", clientId, "algorithm", added.algorithm(), "source", request.source(),
                            "kid", added.kid())));
            return added;
        });
    }

    /**
     * Revokes a key ({@code client:delete}): assertions signed with it fail at once. Revoking a revoked key
     * changes nothing.
     *
     * @return the key as stored now
     * @throws ClientException 404 for another client's or an unknown key
     */
    public ClientKey revokeKey(OrgAccess access, String clientId, String keyId, RequestOrigin origin) {
        return retrying(access, clientId, client -> {
            ClientKey key = client.key(keyId).orElseThrow(ClientException::keyNotFound);
            if (key.revokedAt().isPresent()) {
                return key;
            }
            Instant now = now();
            ClientKey revoked = key.revoked(now);
            clients.saveKey(client.withKey(revoked), keyId, audit.event(ClientAudit.KEY_REVOKED, access.caller(),
                    client.organizationId(), ClientAudit.CLIENT_KEY, keyId, now, origin,
                    Map.of("client_id", clientId)));
            return revoked;
        });
    }

    private CreatedClientSecret newSecret(String actor, Instant now, Optional<Instant> expiresAt) {
        String value = ClientSecretValue.generate(random);
        ClientSecret secret = new ClientSecret(ids.next(IdPrefix.CLIENT_SECRET), hasher.hash(value), now, actor,
                expiresAt, Optional.empty());
        return new CreatedClientSecret(secret, value);
    }

    /**
     * Reads the client and applies a change, reading again when the change raced another one (the store's
     * version condition), at most {@value #ATTEMPTS} times.
     */
    private <T> T retrying(OrgAccess access, String clientId, Function<ServiceClient, T> change) {
        for (int attempt = 1; ; attempt++) {
            ServiceClient client = find(access, clientId);
            try {
                return change.apply(client);
            } catch (ClientException e) {
                boolean raced = e.code() == ErrorCode.CONFLICT
                        && ClientRepository.CHANGED.equals(e.details().get("reason"));
                if (!raced || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Times in responses and records to the millisecond, as everywhere else in the API. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private ServiceClient find(OrgAccess access, String clientId) {
        if (!ClientCommands.isId(IdPrefix.CLIENT, clientId)) {
            throw ClientException.notFound();
        }
        return clients.find(clientId).filter(c -> c.organizationId().equals(access.organizationId()))
                .orElseThrow(ClientException::notFound);
    }
}

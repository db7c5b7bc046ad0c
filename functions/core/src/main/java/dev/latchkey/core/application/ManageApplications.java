package dev.latchkey.core.application;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.authorize.RedirectUris;
import dev.latchkey.core.client.ClientCommands;
import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientKeyRegistration;
import dev.latchkey.core.client.ClientPublicKey;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.ClientSecretValue;
import dev.latchkey.core.client.NewClientKey;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The management use cases of an organization's applications, each taking an {@link OrgAccess} the
 * {@link dev.latchkey.core.access.Authorizer} granted for the route's permission (the service clients' ones:
 * {@code client:create} to create, update and rotate, {@code client:read} to read, {@code client:delete} to delete).
 * An application of another organization answers 404 exactly like one that does not exist (SECURITY.md [8.2.2]).
 * A confidential application with a secret method gets its first secret at creation, shown once; rotating replaces
 * every secret with a new one, shown once (the old ones are revoked at once). A confidential application with
 * {@code private_key_jwt} gets its public keys as a service client does ({@link ClientKeyRegistration}: the same
 * formats and limits; add with {@code client:create}, revoke with {@code client:delete}). Every change is audited
 * ({@code application.created}, {@code .updated}, {@code .deleted}, {@code .secret_rotated}, {@code .key_added},
 * {@code .key_revoked}) in the change's transaction, and retried when it raced another one.
 */
public final class ManageApplications {

    /** How many applications one listing returns at most. */
    public static final int MAX_LISTED = 100;

    private static final int ATTEMPTS = 3;

    private final Applications applications;
    private final ClientSecretHasher hasher;
    private final IdGenerator ids;
    private final SecureRandom random;
    private final Clock clock;

    /**
     * @param applications the store
     * @param hasher hashes new secrets (the service clients' pepper)
     * @param ids application, secret and event ids
     * @param random new secrets
     * @param clock times
     */
    public ManageApplications(Applications applications, ClientSecretHasher hasher, IdGenerator ids,
            SecureRandom random, Clock clock) {
        this.applications = Objects.requireNonNull(applications, "applications");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Registers an application.
     *
     * @return it, with its first secret when it authenticates with one
     * @throws ApplicationException 400 naming the field that breaks a rule
     */
    public CreatedApplication create(OrgAccess access, ApplicationSettings settings, RequestOrigin origin) {
        Instant now = now();
        String actor = access.caller().actor().id();
        ApplicationType type = settings.type().map(t -> ApplicationType.fromWireName(t).orElseThrow(() ->
                ApplicationException.invalid("type", "INVALID", "Field 'type' is public or confidential.")))
                .orElseThrow(() -> ApplicationException.invalid("type", "REQUIRED", "Field 'type' is required."));
        TokenEndpointAuthMethod method = settings.tokenEndpointAuthMethod().map(m -> TokenEndpointAuthMethod
                .fromWireName(m).orElseThrow(() -> ApplicationException.invalid("token_endpoint_auth_method",
                        "INVALID", "Field 'token_endpoint_auth_method' is not a supported method.")))
                .orElse(type == ApplicationType.PUBLIC ? TokenEndpointAuthMethod.NONE
                        : TokenEndpointAuthMethod.CLIENT_SECRET_BASIC);
        Optional<String> secret = method.usesSecret() ? Optional.of(ClientSecretValue.generate(random))
                : Optional.empty();
        List<ClientSecret> secrets = secret.map(value -> List.of(new ClientSecret(ids.next(IdPrefix.CLIENT_SECRET),
                hasher.hash(value), now, actor, Optional.empty(), Optional.empty()))).orElse(List.of());
        String name = name(settings.name().orElseThrow(() -> ApplicationException.invalid("name", "REQUIRED",
                "Field 'name' is required.")));
        checkUris("redirect_uris", settings.redirectUris().orElse(List.of()), 1);
        checkUris("post_logout_redirect_uris", settings.postLogoutRedirectUris().orElse(List.of()), 0);
        settings.scopes().ifPresent(ManageApplications::checkScopes);
        Application application = build(() -> new Application(ids.next(IdPrefix.APPLICATION),
                access.organizationId(), name, type, method,
                settings.redirectUris().orElse(List.of()), settings.postLogoutRedirectUris().orElse(List.of()),
                settings.scopes().orElse(List.of("openid", "profile", "email")),
                settings.firstParty().orElse(false), algorithm(settings).orElse(IdTokenAlgorithm.RS256), now, actor,
                secrets, List.of(), 0), type, method);
        applications.create(application, event("application.created", access, application, now, origin));
        return new CreatedApplication(application, secret);
    }

    /** The organization's applications, newest first, without credentials. */
    public List<Application> list(OrgAccess access) {
        return applications.list(access.organizationId(), MAX_LISTED);
    }

    /**
     * One application.
     *
     * @throws ApplicationException 404 when it is not one of this organization's
     */
    public Application show(OrgAccess access, String clientId) {
        return find(access, clientId);
    }

    /**
     * Changes an application's settings (never its type, method or credentials).
     *
     * @throws ApplicationException 404; 400 naming a field
     */
    public Application update(OrgAccess access, String clientId, ApplicationSettings settings,
            RequestOrigin origin) {
        if (settings.type().isPresent() || settings.tokenEndpointAuthMethod().isPresent()) {
            throw ApplicationException.invalid(settings.type().isPresent() ? "type" : "token_endpoint_auth_method",
                    "IMMUTABLE", "An application's type and authentication method are fixed; register a new one.");
        }
        settings.redirectUris().ifPresent(uris -> checkUris("redirect_uris", uris, 1));
        settings.postLogoutRedirectUris().ifPresent(uris -> checkUris("post_logout_redirect_uris", uris, 0));
        settings.scopes().ifPresent(ManageApplications::checkScopes);
        return retrying(access, clientId, current -> {
            Application changed = build(() -> current.withSettings(settings.name().map(ManageApplications::name)
                    .orElse(current.name()), settings.redirectUris().orElse(current.redirectUris()),
                    settings.postLogoutRedirectUris().orElse(current.postLogoutRedirectUris()),
                    settings.scopes().orElse(current.scopes()), settings.firstParty().orElse(current.firstParty()),
                    algorithm(settings).orElse(current.idTokenSignedResponseAlg())), current.type(),
                    current.tokenEndpointAuthMethod());
            applications.update(changed, event("application.updated", access, changed, now(), origin));
            return changed;
        });
    }

    /**
     * Deletes an application for ever: its next token request fails.
     *
     * @throws ApplicationException 404
     */
    public void delete(OrgAccess access, String clientId, RequestOrigin origin) {
        retrying(access, clientId, current -> {
            applications.delete(current, event("application.deleted", access, current, now(), origin));
            return current;
        });
    }

    /**
     * Replaces every secret of a confidential application with a new one, shown once.
     *
     * @throws ApplicationException 404; 409 {@code NO_SECRET} for an application that authenticates without one
     */
    public CreatedApplication rotateSecret(OrgAccess access, String clientId, RequestOrigin origin) {
        String value = ClientSecretValue.generate(random);
        return retrying(access, clientId, current -> {
            if (!current.tokenEndpointAuthMethod().usesSecret()) {
                throw ApplicationException.conflict("NO_SECRET", "This application authenticates without a secret.");
            }
            Instant now = now();
            Application changed = current;
            for (ClientSecret old : current.secrets()) {
                changed = changed.withSecret(old.revoked(now));
            }
            changed = changed.withSecret(new ClientSecret(ids.next(IdPrefix.CLIENT_SECRET), hasher.hash(value), now,
                    access.caller().actor().id(), Optional.empty(), Optional.empty()));
            Application rotated = new Application(changed.clientId(), changed.organizationId(), changed.name(),
                    changed.type(), changed.tokenEndpointAuthMethod(), changed.redirectUris(),
                    changed.postLogoutRedirectUris(), changed.scopes(), changed.firstParty(),
                    changed.idTokenSignedResponseAlg(), changed.createdAt(), changed.createdBy(),
                    changed.secrets().stream().filter(s -> s.usableAt(now)).toList(), changed.keys(),
                    current.version() + 1);
            applications.update(rotated, event("application.secret_rotated", access, rotated, now, origin));
            return new CreatedApplication(rotated, Optional.of(value));
        });
    }

    /**
     * Registers a public key of a {@code private_key_jwt} application from a JWK or a certificate: the service
     * clients' formats and limits ({@link ClientKeyRegistration}).
     *
     * @return the key as stored
     * @throws dev.latchkey.core.client.ClientException 400 for a key that is not accepted; 409 {@code KEY_EXISTS},
     *     {@code KID_TAKEN}, {@code TOO_MANY_KEYS}
     * @throws ApplicationException 404; 409 {@code NO_KEY_METHOD} for an application that authenticates otherwise
     */
    public ClientKey addKey(OrgAccess access, String clientId, NewClientKey request, RequestOrigin origin) {
        ClientPublicKey key = ClientKeyRegistration.read(request, now());
        return retrying(access, clientId, current -> {
            if (current.tokenEndpointAuthMethod() != TokenEndpointAuthMethod.PRIVATE_KEY_JWT) {
                throw ApplicationException.conflict("NO_KEY_METHOD",
                        "This application does not authenticate with private_key_jwt.");
            }
            Instant now = now();
            ClientKey added = ClientKeyRegistration.admit(current.keys(), key, ids.next(IdPrefix.CLIENT_KEY),
                    access.caller().actor().id(), now);
            applications.update(current.withKey(added), keyEvent("application.key_added", access, current, added,
                    now, origin, Map.of("client_id", clientId, "algorithm", added.algorithm(), "source",
                            request.source(), "kid", added.kid())));
            return added;
        });
    }

    /**
     * Revokes a key of an application: assertions signed with it fail at once. Revoking a revoked key changes
     * nothing.
     *
     * @return the key as stored now
     * @throws ApplicationException 404 for an unknown application or key
     */
    public ClientKey revokeKey(OrgAccess access, String clientId, String keyId, RequestOrigin origin) {
        return retrying(access, clientId, current -> {
            ClientKey key = current.key(keyId).orElseThrow(ApplicationException::keyNotFound);
            if (key.revokedAt().isPresent()) {
                return key;
            }
            Instant now = now();
            ClientKey revoked = key.revoked(now);
            applications.update(current.withKey(revoked), keyEvent("application.key_revoked", access, current,
                    revoked, now, origin, Map.of("client_id", clientId)));
            return revoked;
        });
    }

    private static String name(String name) {
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.length() > ApplicationSettings.MAX_NAME_LENGTH
                || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw ApplicationException.invalid("name", "INVALID", "Field 'name' is 1 to 100 printable characters.");
        }
        return trimmed;
    }

    private static Optional<IdTokenAlgorithm> algorithm(ApplicationSettings settings) {
        return settings.idTokenSignedResponseAlg().map(a -> IdTokenAlgorithm.fromName(a).orElseThrow(() ->
                ApplicationException.invalid("id_token_signed_response_alg", "INVALID",
                        "Field 'id_token_signed_response_alg' is RS256 or ES256.")));
    }

    /** Builds an application after checking each rule of {@link Application} with a 400 that names the field. */
    private static Application build(Supplier<Application> build, ApplicationType type,
            TokenEndpointAuthMethod method) {
        if ((type == ApplicationType.PUBLIC) != (method == TokenEndpointAuthMethod.NONE)) {
            throw ApplicationException.invalid("token_endpoint_auth_method", "TYPE_MISMATCH",
                    "A public application authenticates with none; a confidential one with a secret or a key.");
        }
        return build.get();
    }

    private static void checkUris(String field, List<String> uris, int min) {
        if (uris.size() < min || uris.size() > Application.MAX_URIS
                || !uris.stream().allMatch(RedirectUris::registrable)) {
            throw ApplicationException.invalid(field, "INVALID", "Field '" + field + "' holds " + min + " to "
                    + Application.MAX_URIS + " absolute URIs without fragment: https, http on a loopback address, "
                    + "or a private-use scheme of a native app.");
        }
    }

    private static void checkScopes(List<String> scopes) {
        if (!scopes.contains(Application.OPENID) || !Application.SCOPES.containsAll(scopes)
                || Set.copyOf(scopes).size() != scopes.size()) {
            throw ApplicationException.invalid("scopes", "INVALID",
                    "Field 'scopes' holds openid and only openid, profile, email, offline_access, each once.");
        }
    }

    private AuditEvent event(String action, OrgAccess access, Application application, Instant now,
            RequestOrigin origin) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock).occurredAt(now)
                .organizationId(application.organizationId())
                .actor(access.caller().actor())
                .action(action)
                .target("application", application.clientId())
                .requestId(origin.requestId())
                .details(Map.of("type", application.type().wireName(),
                        "auth_method", application.tokenEndpointAuthMethod().wireName(),
                        "redirect_uri_count", Integer.toString(application.redirectUris().size())));
        origin.sourceIp().ifPresent(event::sourceIp);
        return event.build();
    }

    /** A key event: target {@code client_key/<ck_…>}, the application in {@code client_id} (as for clients). */
    private AuditEvent keyEvent(String action, OrgAccess access, Application application, ClientKey key,
            Instant now, RequestOrigin origin, Map<String, String> details) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock).occurredAt(now)
                .organizationId(application.organizationId())
                .actor(access.caller().actor())
                .action(action)
                .target("client_key", key.keyId())
                .requestId(origin.requestId())
                .details(details);
        origin.sourceIp().ifPresent(event::sourceIp);
        return event.build();
    }

    private <T> T retrying(OrgAccess access, String clientId, Function<Application, T> change) {
        for (int attempt = 1; ; attempt++) {
            Application current = find(access, clientId);
            try {
                return change.apply(current);
            } catch (ApplicationException e) {
                boolean raced = e.code() == ErrorCode.CONFLICT
                        && ApplicationException.CHANGED.equals(e.details().get("reason"));
                if (!raced || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Application find(OrgAccess access, String clientId) {
        if (!ClientCommands.isId(IdPrefix.APPLICATION, clientId)) {
            throw ApplicationException.notFound();
        }
        return applications.find(clientId).filter(a -> a.organizationId().equals(access.organizationId()))
                .orElseThrow(ApplicationException::notFound);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}

package dev.latchkey.infrastructure.wiring;

import dev.latchkey.core.authorize.AuthorizationCode;
import dev.latchkey.core.authorize.IssueAuthorizationCode;
import dev.latchkey.core.authorize.RedirectUris;
import dev.latchkey.core.sso.Authorize;
import dev.latchkey.core.sso.BrowserSessions;
import dev.latchkey.core.sso.IdTokenHints;
import dev.latchkey.core.sso.RelyingParties;
import dev.latchkey.core.sso.RelyingParty;
import dev.latchkey.core.sso.RpInitiatedLogout;
import dev.latchkey.core.sso.ValidateAuthorizationRequest;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.sso.DynamoDbConsents;
import dev.latchkey.infrastructure.sso.DynamoDbSsoSessions;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The OpenID Provider's browser side (issue 15, the signin function; docs/oidc.md), wired once per
 * {@link CompositionRoot} ({@link CompositionRoot#sso()}) over the root's shared parts (the bearer check, sessions,
 * keys, applications, authorization codes). A class of its own because {@code core.sso} ({@code latchkey-sso}) is an
 * optional dependency of infrastructure, carried only by the signin zip: the other functions never load this class.
 */
public final class SsoWiring {

    private final CompositionRoot root;
    private final LatchkeyRuntime runtime;
    /** Built parts by type: one instance of each. Guarded by {@code this}. */
    private final Map<Class<?>, Object> built = new HashMap<>();

    SsoWiring(CompositionRoot root, LatchkeyRuntime runtime) {
        this.root = root;
        this.runtime = runtime;
    }

    private synchronized <T> T once(Class<T> type, Supplier<? extends T> build) {
        Object part = built.get(type);
        if (part == null) {
            part = Objects.requireNonNull(build.get(), type::getName);
            built.put(type, part);
        }
        return type.cast(part);
    }

    /** Single sign-on browser sessions in the table. */
    public DynamoDbSsoSessions ssoSessions() {
        return once(DynamoDbSsoSessions.class, () -> new DynamoDbSsoSessions(runtime.dynamoDb(),
                runtime.config().tableName()));
    }

    /** Remembered consents in the table. */
    public DynamoDbConsents consents() {
        return once(DynamoDbConsents.class, () -> new DynamoDbConsents(runtime.dynamoDb(),
                runtime.config().tableName()));
    }

    /** The registered applications as the hosted pages see them. */
    public RelyingParties relyingParties() {
        return once(RelyingParties.class, () -> clientId -> root.applications().find(clientId)
                .map(a -> new RelyingParty(a.clientId(), a.name(), new RedirectUris(a.redirectUris()),
                        a.postLogoutRedirectUris(), a.firstParty(), Set.copyOf(a.scopes()))));
    }

    /** Issues authorization codes (at most 60 seconds). */
    public IssueAuthorizationCode issueAuthorizationCode() {
        return once(IssueAuthorizationCode.class, () -> new IssueAuthorizationCode(root.authorizationCodes(),
                AuthorizationCode.MAX_LIFETIME, root.clock(), runtime.random()));
    }

    /** {@code GET/POST /oauth/authorize}: validation (reads {@code LATCHKEY_ISSUER}). */
    public ValidateAuthorizationRequest validateAuthorizationRequest() {
        return once(ValidateAuthorizationRequest.class, () -> new ValidateAuthorizationRequest(relyingParties(),
                root.issuer().get()));
    }

    /** {@code GET/POST /oauth/authorize}: the decision. */
    public Authorize authorize() {
        return once(Authorize.class, () -> new Authorize(issueAuthorizationCode(), consents(), root.issuer().get(),
                root.clock(), root.auditLog(), runtime.ids()));
    }

    /** The single sign-on browser sessions. */
    public BrowserSessions browserSessions() {
        return once(BrowserSessions.class, () -> new BrowserSessions(root.bearer(), root.sessions(), ssoSessions(),
                root.endSessionById(), root.clock(), runtime.random(), root.auditLog(), runtime.ids()));
    }

    /** {@code GET/POST /oauth/logout}. */
    public RpInitiatedLogout rpInitiatedLogout() {
        return once(RpInitiatedLogout.class, () -> new RpInitiatedLogout(
                new IdTokenHints(root.currentKeys()::publishedKey, root.issuer().get()), relyingParties(),
                browserSessions(), root.auditLog(), runtime.ids(), root.clock()));
    }
}

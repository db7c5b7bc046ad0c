package dev.latchkey.core.sso;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.authorize.IssueAuthorizationCode;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.sso.AuthorizationRequest.Prompt;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what a valid authorization request gets (OpenID Connect Core §3.1.2.3–§3.1.2.5):
 * <ol>
 *   <li>{@code prompt=create}: the sign-up page (Initiating User Registration via OpenID Connect 1.0).</li>
 *   <li>A sign-in is needed when there is no usable single sign-on session, {@code prompt} has {@code login} or
 *       {@code select_account}, or {@code max_age} is shorter than the time since the session's {@code auth_time};
 *       then the sign-in page, or with {@code prompt=none} the error {@code login_required}.</li>
 *   <li>Consent is needed for a third-party application whose scopes the user has not all granted yet, and with
 *       {@code prompt=consent}; then the consent page, or with {@code prompt=none} {@code consent_required}.</li>
 *   <li>Otherwise the code is issued at once ({@link IssueAuthorizationCode}, bound to client, redirect URI, PKCE,
 *       nonce, the session's {@code auth_time} and {@code amr}): single sign-on across applications.</li>
 * </ol>
 */
public final class Authorize {

    private final IssueAuthorizationCode codes;
    private final Consents consents;
    private final String issuer;
    private final Clock clock;
    private final SsoAudit audit;

    /**
     * @param codes issues the code
     * @param consents remembered consents
     * @param issuer this issuer's identifier ({@code iss}, RFC 9207)
     * @param clock the current time
     * @param auditLog where {@code consent.granted} and {@code consent.denied} go
     * @param ids event ids
     */
    public Authorize(IssueAuthorizationCode codes, Consents consents, String issuer, Clock clock, AuditLog auditLog,
            IdGenerator ids) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = new SsoAudit(auditLog, ids, clock);
    }

    /** This issuer's identifier. */
    public String issuer() {
        return issuer;
    }

    /**
     * The answer to a valid request from a browser with this single sign-on session.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when a store fails
     */
    public AuthorizeOutcome decide(AuthorizationRequest request, Optional<SignedInUser> user) {
        if (request.prompts(Prompt.CREATE)) {
            return new AuthorizeOutcome.SignUp(request);
        }
        if (user.isEmpty() || needsSignIn(request, user.get())) {
            return request.prompts(Prompt.NONE) ? error(request, AuthorizationError.LOGIN_REQUIRED,
                    "the user must sign in") : new AuthorizeOutcome.SignIn(request);
        }
        List<String> toConsent = toConsent(request, user.get());
        if (!toConsent.isEmpty()) {
            return request.prompts(Prompt.NONE) ? error(request, AuthorizationError.CONSENT_REQUIRED,
                    "the user must consent") : new AuthorizeOutcome.Consent(request, user.get(), toConsent);
        }
        return issue(request, user.get());
    }

    /**
     * The consent page's answer: approval remembers the scopes for this user and client and issues the code;
     * refusal sends {@code access_denied}. Without a usable session the sign-in page comes first. Either answer is
     * audited ({@code consent.granted} or {@code consent.denied}, with the scopes).
     */
    public AuthorizeOutcome consent(AuthorizationRequest request, Optional<SignedInUser> user, boolean approved,
            String sourceIp, String requestId) {
        if (user.isEmpty()) {
            return new AuthorizeOutcome.SignIn(request);
        }
        audit.record(approved ? SsoAudit.CONSENT_GRANTED : SsoAudit.CONSENT_DENIED, user.get().organizationId(),
                user.get().userId(), "application", request.client().clientId(),
                Map.of("scopes", String.join(" ", request.scope())), sourceIp, requestId);
        if (!approved) {
            return error(request, AuthorizationError.ACCESS_DENIED, "the user did not consent");
        }
        consents.grant(user.get().userId(), request.client().clientId(), Set.copyOf(request.scope()),
                clock.instant());
        return issue(request, user.get());
    }

    private boolean needsSignIn(AuthorizationRequest request, SignedInUser user) {
        if (request.prompts(Prompt.LOGIN) || request.prompts(Prompt.SELECT_ACCOUNT)) {
            return true;
        }
        return request.maxAge().map(max -> Duration.between(user.authTime(), clock.instant()).compareTo(max) > 0)
                .orElse(false);
    }

    private List<String> toConsent(AuthorizationRequest request, SignedInUser user) {
        if (request.client().firstParty() && !request.prompts(Prompt.CONSENT)) {
            return List.of();
        }
        if (request.prompts(Prompt.CONSENT)) {
            return request.scope();
        }
        Set<String> granted = consents.granted(user.userId(), request.client().clientId());
        Set<String> missing = new LinkedHashSet<>(request.scope());
        missing.removeAll(granted);
        return missing.isEmpty() ? List.of() : request.scope();
    }

    private AuthorizeOutcome issue(AuthorizationRequest request, SignedInUser user) {
        String code = codes.issue(new IssueAuthorizationCode.Grant(request.client().clientId(),
                request.redirectUri(), request.pkce(), user.userId(), user.sessionId(), request.scope(),
                request.nonce(), user.authTime(), user.amr()));
        return new AuthorizeOutcome.Redirect(AuthorizationResponses.success(request.redirectUri(), code,
                request.state(), issuer));
    }

    private AuthorizeOutcome error(AuthorizationRequest request, String error, String description) {
        return new AuthorizeOutcome.Redirect(AuthorizationResponses.error(request.redirectUri(),
                new AuthorizationError(error, description), request.state(), issuer));
    }
}

package dev.latchkey.core.sso;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2–§3), the {@code end_session_endpoint}:
 * <ol>
 *   <li>An {@code id_token_hint} must be an ID token of this issuer ({@link IdTokenHints}; an expired one is
 *       accepted); a {@code client_id} beside it must be one of its audiences.</li>
 *   <li>A {@code post_logout_redirect_uri} needs a known client (from {@code client_id} or the hint's single
 *       audience) and must be one of its registered ones, exactly (a loopback port of a native app may vary, RFC 8252
 *       §7.3); otherwise the error page (never an open
 *       redirect, RFC 9700 §4.11).</li>
 *   <li>The browser session ends at once when the hint names its user (and session, when it carries {@code sid});
 *       otherwise — no hint, or another user's — the user is asked first (a confirmation form, CSRF-protected), so a
 *       third-party page cannot sign a user out (logout CSRF).</li>
 *   <li>Then the redirect to {@code post_logout_redirect_uri} with {@code state}, or the signed-out page.</li>
 * </ol>
 * A logout that ended a browser session is audited {@code sso.logged_out} (besides the session's own
 * {@code session.revoked}), with how it was confirmed.
 */
public final class RpInitiatedLogout {

    private final IdTokenHints hints;
    private final RelyingParties clients;
    private final BrowserSessions sessions;
    private final SsoAudit audit;

    /**
     * @param hints checks {@code id_token_hint}
     * @param clients the registered applications
     * @param sessions the browser sessions
     * @param auditLog where {@code sso.logged_out} goes
     * @param ids event ids
     * @param clock event times
     */
    public RpInitiatedLogout(IdTokenHints hints, RelyingParties clients, BrowserSessions sessions, AuditLog auditLog,
            IdGenerator ids, Clock clock) {
        this.hints = Objects.requireNonNull(hints, "hints");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.audit = new SsoAudit(auditLog, ids, clock);
    }

    /** The answer of the logout endpoint. */
    public sealed interface Outcome {
    }

    /**
     * The request cannot be served: show the error page.
     *
     * @param error what is wrong
     */
    public record Refused(AuthorizationError error) implements Outcome {
    }

    /**
     * Ask the user to confirm (the form posts the same parameters back with the CSRF token).
     *
     * @param parameters the request's parameters
     */
    public record Confirm(Map<String, String> parameters) implements Outcome {
        /** Copies. */
        public Confirm {
            parameters = Map.copyOf(parameters);
        }
    }

    /**
     * Signed out (or was not signed in): redirect, or show the signed-out page.
     *
     * @param redirect the {@code post_logout_redirect_uri} with {@code state}, when valid
     * @param endedSession whether a browser session ended (its cookie must be cleared)
     */
    public record SignedOut(Optional<String> redirect, boolean endedSession) implements Outcome {
    }

    /**
     * Serves a logout request.
     *
     * @param parameters the query or form, one value each
     * @param cookie the browser's session cookie
     * @param confirmed whether the user confirmed on the form (its CSRF token already checked)
     */
    public Outcome logout(Map<String, String> parameters, Optional<String> cookie, boolean confirmed,
            String sourceIp, String requestId) {
        Optional<IdTokenHints.Hint> hint = Optional.empty();
        String hintText = parameters.get("id_token_hint");
        if (hintText != null && !hintText.isEmpty()) {
            hint = hints.verify(hintText);
            if (hint.isEmpty()) {
                return refused("id_token_hint is not an ID token of this issuer");
            }
        }
        Optional<String> clientId = Optional.ofNullable(parameters.get("client_id")).filter(c -> !c.isEmpty());
        if (clientId.isPresent() && hint.isPresent() && !hint.get().audience().contains(clientId.get())) {
            return refused("client_id is not an audience of id_token_hint");
        }
        if (clientId.isEmpty() && hint.isPresent() && hint.get().audience().size() == 1) {
            clientId = Optional.of(hint.get().audience().get(0));
        }
        Optional<String> redirect = Optional.empty();
        String postLogout = parameters.get("post_logout_redirect_uri");
        if (postLogout != null && !postLogout.isEmpty()) {
            Optional<RelyingParty> client = clientId.flatMap(clients::find);
            if (client.isEmpty() || !client.get().postLogoutRedirectUriAllowed(postLogout)) {
                return refused("post_logout_redirect_uri is not registered for this application");
            }
            String state = parameters.get("state");
            redirect = Optional.of(state == null || state.isEmpty() ? postLogout
                    : AuthorizationResponses.append(postLogout, "state=" + AuthorizationRequest.encode(state)));
        }
        Optional<SignedInUser> user = sessions.resolve(cookie);
        if (user.isEmpty()) {
            return new SignedOut(redirect, cookie.isPresent());
        }
        boolean hintMatches = hint.isPresent() && hint.get().subject().equals(user.get().userId())
                && hint.get().sessionId().map(sid -> sid.equals(user.get().sessionId())).orElse(true);
        if (!hintMatches && !confirmed) {
            return new Confirm(parameters);
        }
        sessions.end(cookie.get(), sourceIp, requestId);
        Map<String, String> details = new LinkedHashMap<>();
        clientId.ifPresent(id -> details.put("client_id", id));
        details.put("confirmed_by", hintMatches ? "id_token_hint" : "form");
        audit.record(SsoAudit.LOGGED_OUT, user.get().organizationId(), user.get().userId(), "session",
                user.get().sessionId(), details, sourceIp, requestId);
        return new SignedOut(redirect, true);
    }

    private static Refused refused(String description) {
        return new Refused(new AuthorizationError(AuthorizationError.INVALID_REQUEST, description));
    }
}

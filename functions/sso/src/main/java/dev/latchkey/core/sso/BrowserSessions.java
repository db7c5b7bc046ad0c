package dev.latchkey.core.sso;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.session.EndSessionById;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionException;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.token.InvalidTokenException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The single sign-on browser session of the hosted pages, tied to a Latchkey session.
 * <ul>
 *   <li>{@link #start}: the pages' script has just signed in through the ordinary login routes (password with
 *       its throttle and audit, the TOTP step, or a passkey) and presents the access token it got; this checks it
 *       like every management route ({@link BearerAuthentication}: signature, issuer, a live session, not revoked),
 *       and stores a new browser session under the hash of a fresh cookie value. The Latchkey session of a previous
 *       browser session in this browser ends (it was reachable from this browser only).</li>
 *   <li>{@link #resolve}: the user behind a cookie, only while the Latchkey session is usable: revoking that session
 *       (logout, password change, {@code DELETE /v1/users/me/sessions/{id}}, an operator) ends single sign-on at
 *       once; {@code auth_time} and {@code amr} are the session's.</li>
 *   <li>{@link #end}: logout removes the browser session and ends the Latchkey session.</li>
 *   <li>A start is audited {@code sso.signed_in} in the session's organization ({@link SsoAudit}).</li>
 * </ul>
 */
public final class BrowserSessions {

    private final BearerAuthentication bearer;
    private final SessionRepository sessions;
    private final SsoSessions browserSessions;
    private final EndSessionById endSession;
    private final Clock clock;
    private final SecureRandom random;
    private final SsoAudit audit;

    /**
     * @param bearer the management-token check of a fresh sign-in
     * @param sessions the Latchkey sessions
     * @param browserSessions the browser sessions
     * @param endSession ends a Latchkey session (audited {@code session.revoked})
     * @param clock the current time
     * @param random cookie values
     * @param auditLog where {@code sso.signed_in} goes
     * @param ids event ids
     */
    public BrowserSessions(BearerAuthentication bearer, SessionRepository sessions, SsoSessions browserSessions,
            EndSessionById endSession, Clock clock, SecureRandom random, AuditLog auditLog, IdGenerator ids) {
        this.bearer = Objects.requireNonNull(bearer, "bearer");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.browserSessions = Objects.requireNonNull(browserSessions, "browserSessions");
        this.endSession = Objects.requireNonNull(endSession, "endSession");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.audit = new SsoAudit(auditLog, ids, clock);
    }

    /**
     * A started browser session.
     *
     * @param cookieValue the value of the new {@link SsoCookie#SESSION} cookie (never stored)
     * @param user who signed in
     */
    public record Started(String cookieValue, SignedInUser user) {
        /** Never prints the cookie value. */
        @Override
        public String toString() {
            return "Started[user=" + user.userId() + "]";
        }
    }

    /**
     * Starts a browser session from the access token of a sign-in that just happened.
     *
     * @param accessToken the token the login routes answered
     * @param previousCookie the browser's current session cookie, if any: its session ends
     * @throws InvalidTokenException (401) when the token is not a live management token of a user's session
     * @throws dev.latchkey.core.login.LoginException (401) when no token is presented
     */
    public Started start(Optional<String> accessToken, Optional<String> previousCookie, String sourceIp,
            String requestId) {
        AuthenticatedUser caller = bearer.authenticate(accessToken);
        Instant now = clock.instant();
        Session session = sessions.find(caller.sessionId()).filter(s -> s.isUsableAt(now))
                .orElseThrow(() -> new InvalidTokenException(InvalidTokenException.Reason.INVALID_CLAIM));
        previousCookie.ifPresent(old -> end(old, sourceIp, requestId, s -> !s.equals(session.sessionId())));
        String value = SsoCookie.newValue(random);
        browserSessions.save(new SsoSession(SsoCookie.hash(value), session.userId(), session.sessionId(), now,
                session.absoluteExpiresAt()));
        audit.record(SsoAudit.SIGNED_IN, session.organizationId(), session.userId(), "session", session.sessionId(),
                Map.of("amr", String.join(" ", session.amr()), "replaced_previous",
                        Boolean.toString(previousCookie.isPresent())), sourceIp, requestId);
        return new Started(value, new SignedInUser(session.userId(), session.sessionId(), session.organizationId(),
                session.authTime(), session.amr()));
    }

    /** A fresh value for the sign-in page's {@link SsoCookie#LOGIN} cookie (login CSRF binding). */
    public String newLoginValue() {
        return SsoCookie.newValue(random);
    }

    /** The signed-in user behind a cookie value, while its browser session and Latchkey session are usable. */
    public Optional<SignedInUser> resolve(Optional<String> cookieValue) {
        if (cookieValue.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return browserSessions.find(SsoCookie.hash(cookieValue.get())).filter(b -> now.isBefore(b.expiresAt()))
                .flatMap(b -> sessions.find(b.sessionId()).filter(s -> s.userId().equals(b.userId())))
                .filter(s -> s.isUsableAt(now))
                .map(s -> new SignedInUser(s.userId(), s.sessionId(), s.organizationId(), s.authTime(), s.amr()));
    }

    /**
     * Ends the browser session of this cookie and its Latchkey session ({@link SessionEndReason#LOGOUT}, audited);
     * a cookie of no session is a no-op.
     *
     * @return the user whose session ended, if any
     */
    public Optional<String> end(String cookieValue, String sourceIp, String requestId) {
        return end(cookieValue, sourceIp, requestId, s -> true);
    }

    private Optional<String> end(String cookieValue, String sourceIp, String requestId,
            java.util.function.Predicate<String> endLatchkeySession) {
        String hash = SsoCookie.hash(cookieValue);
        Optional<SsoSession> found = browserSessions.find(hash);
        browserSessions.delete(hash);
        found.filter(b -> endLatchkeySession.test(b.sessionId())).ifPresent(b -> {
            try {
                endSession.end(b.userId(), b.sessionId(), SessionEndReason.LOGOUT, sourceIp, requestId);
            } catch (SessionException gone) {
                // Already gone: nothing left to end.
            }
        });
        return found.map(SsoSession::userId);
    }
}

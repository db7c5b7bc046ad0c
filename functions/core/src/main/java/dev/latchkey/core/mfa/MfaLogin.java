package dev.latchkey.core.mfa;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The second login step ({@code POST /v1/auth/login/mfa} {@code {mfa_token, code | recovery_code}}):
 * <ol>
 *   <li>the {@code mfa_token} is found by its hash and unexpired (401 otherwise; it is not spent by a wrong code,
 *       so a typo does not force the password again — the factor's throttle bounds the guesses);</li>
 *   <li>the code is verified ({@link SecondFactorVerifier}: window, replay, throttle, audit);</li>
 *   <li>the token is spent by a conditional delete (a parallel second use gets 401);</li>
 *   <li>the session starts with the first step's {@code amr} plus {@code otp} (TOTP, RFC 8176 §2) and
 *       {@code mfa} (RFC 8176: "multiple-factor authentication" — a password and a possession factor); with a
 *       recovery code, {@code mfa} only (a look-up secret is not an RFC 4226/6238 one-time password);
 *       {@code auth.login.succeeded}.</li>
 * </ol>
 */
public final class MfaLogin {

    private final MfaLoginTokens tokens;
    private final UserRepository users;
    private final SecondFactorVerifier verifier;
    private final StartSession sessions;
    private final MfaAudit audit;
    private final Clock clock;

    /**
     * @param tokens the pending second steps
     * @param users the accounts
     * @param verifier checks the code
     * @param sessions starts the session
     * @param auditLog where {@code auth.login.*} goes
     * @param ids event ids
     * @param clock the time source
     */
    public MfaLogin(MfaLoginTokens tokens, UserRepository users, SecondFactorVerifier verifier, StartSession sessions,
            AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.users = Objects.requireNonNull(users, "users");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.audit = new MfaAudit(auditLog, ids, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Finishes the login.
     *
     * @throws MfaException 401 for an unknown, used or expired token or a wrong code; 400 without exactly one code
     * @throws dev.latchkey.core.ratelimit.RateLimitedException 429 when the source IP is over its window
     */
    public TokenResponse finish(String mfaToken, String code, String recoveryCode, RequestOrigin origin) {
        if (mfaToken == null || !mfaToken.startsWith(MfaLoginGate.PREFIX) || mfaToken.length() > 100) {
            throw MfaException.invalidMfaToken();
        }
        if ((code == null) == (recoveryCode == null)) {
            throw MfaException.codeRequired();
        }
        String hash = MfaLoginGate.hash(mfaToken);
        MfaLoginChallenge challenge = tokens.find(hash).filter(c -> clock.instant().isBefore(c.expiresAt()))
                .orElseThrow(MfaException::invalidMfaToken);
        User user = users.findById(challenge.userId()).filter(u -> u.email().canonical()
                .equals(challenge.canonicalEmail())).orElseThrow(MfaException::invalidMfaToken);
        SecondFactorVerifier.Method method = verifier.verify(user, code, recoveryCode, "login", origin);
        if (tokens.consume(hash).isEmpty()) {
            audit.record(MfaAudit.LOGIN_FAILED, user, Outcome.FAILURE, Map.of("reason", "mfa_token_spent"), origin);
            throw MfaException.invalidMfaToken();
        }
        List<String> amr = new ArrayList<>(challenge.firstFactorAmr());
        if (method == SecondFactorVerifier.Method.TOTP) {
            amr.add("otp");
        }
        amr.add("mfa");
        TokenResponse response = sessions.start(new StartSessionCommand(
                new UserProfile(user.id(), user.email().display(), user.name()), user.personalOrganizationId(),
                amr, origin.sourceIp().orElse(""), origin.requestId()));
        audit.record(MfaAudit.LOGIN_SUCCEEDED, user, Outcome.SUCCESS, Map.of("session", response.sessionId(),
                "method", "password+" + SecondFactorVerifier.name(method)), origin);
        return response;
    }
}
